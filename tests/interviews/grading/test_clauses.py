"""An answer cut into units (`interviews.grading.clauses`): lists and the scope of a sentence's negation."""

from __future__ import annotations

from interviews.grading.clauses import is_list, sentence_label, units
from interviews.grading.contradiction import contradicts


def test_a_clause_with_its_own_negation_does_not_inherit_the_sentences() -> None:
    clauses = [u for u in units("KTO：不需要成对的偏好数据") if not u.whole]
    assert [u.claim for u in clauses] == ["KTO：", "不需要成对的偏好数据"]
    assert not any(contradicts(u.claim, "不需要成对数据") for u in clauses[1:])


def test_a_label_keeps_the_bare_verdict_after_it() -> None:
    """ "单链表：不可以" says that 单链表 cannot; "不可以" alone would deny what is said of the others."""
    assert [u.text for u in units("单链表：不可以，找不到前驱。") if not u.whole] == [
        "单链表：不可以，",
        "找不到前驱。",
    ]
    labelled_value = [u.text for u in units("第一问：n/2，第二问：(2n+1)/3") if not u.whole]
    assert labelled_value[:2] == ["第一问：", "n/2，"]


def test_a_sentence_label_is_a_short_opening_clause_ending_in_a_colon() -> None:
    assert sentence_label("GQA：把查询头分组，组内共享 K/V。") == "GQA："
    assert sentence_label("把查询头分组，组内共享 K/V。") == ""
    assert sentence_label("在解码阶段每生成一个新的 token 都要读取全部历史的 K 和 V：") == ""


def test_a_clause_without_a_negation_inherits_the_sentences() -> None:
    clauses = [u for u in units("并不是所有头都计算，只算一部分") if not u.whole]
    assert clauses[1].scope


def test_a_negation_opening_a_sentence_reaches_past_its_semicolons_to_the_full_stop() -> None:
    found = units("并不是说 MQA 减少了查询头；它共享 K/V；KV cache 更小。下一句照常。")
    scopes = {u.text: u.scope for u in found if u.whole}
    assert scopes["它共享 K/V；"] and scopes["KV cache 更小。"]
    assert not scopes["下一句照常。"]
    # A sentence with a negation of its own says what it says.
    assert not {u.text: u.scope for u in units("并不是 A；B 不会变。") if u.whole}["B 不会变。"]


def test_a_condition_opening_with_a_negation_covers_no_other_clause() -> None:
    clauses = [u for u in units("如果不做负载均衡，其他专家训练不足") if not u.whole]
    assert [u.scope for u in clauses] == ["", ""]


def test_spaces_around_english_words_make_no_list() -> None:
    assert not is_list("KV cache 缓存已生成 token 的 K 和 V，")
    assert not is_list("用 RoPE 给 Q 和 K 加上位置信息")


def test_a_formula_with_two_divisions_is_no_list() -> None:
    """ "/" separates listed terms ("LoRA/QLoRA/Adapter"); in "n/2-1/2" it divides."""
    assert not is_list("（1）n/2-1/2")
    assert not is_list("(n-1)/2/n")
    assert is_list("LoRA/QLoRA/Adapter")
    assert is_list("7b/13b/70b")  # slashes alone: sizes listed, not divided


def test_space_separated_chinese_terms_are_a_list() -> None:
    assert is_list("注意力 前馈 残差")
    assert is_list("注意力、前馈、残差、归一化")


def test_terms_of_both_languages_separated_by_spaces_alone_are_a_list() -> None:
    assert is_list("ZeRO-1 优化器状态 切分 ZeRO-2 梯度 reduce-scatter ZeRO-3 参数 CPU NVMe")
    assert is_list("方差 d_k 点积 softmax 饱和 梯度消失 除以根号 单位方差")
    # Prose with spaces around its English words is no list: punctuation, particles, verbs, formulas.
    assert not is_list("tokenizer 换成基于 tiktoken 的 BPE")
    assert not is_list("MQA 和 GQA 都和 MHA 不同")
    assert not is_list("后训练以 SFT + 拒绝采样 + DPO 为主。")
    assert not is_list("$M_{ij}=0 \\iff j\\le k \\ \\text{或}\\ j\\le i$")
    assert not is_list("FlashAttention 不改变 FLOPs")


def test_an_english_relative_or_causal_clause_is_a_clause_of_its_own() -> None:
    """ "… one-hot outputs whose gradients vanish" states a second claim, as a Chinese clause after "，" does:
    the whole sentence's meaning was the first claim's, and the second point went unmet."""
    sentence = "Large logits saturate the softmax into nearly one-hot outputs whose gradients vanish."
    assert [u.text for u in units(sentence) if not u.whole] == [
        "Large logits saturate the softmax into nearly one-hot outputs",
        "whose gradients vanish.",
    ]
    assert len(units("The model which we trained is small.")) == 3
    assert len(units("It is which-ever.")) == 1
