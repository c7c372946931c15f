"""The rewrites of a reference answer (interviews/grading/rewrites.py): swaps, negations, shuffling."""

from __future__ import annotations

import random
import re
from collections import Counter

from interviews.grading import rewrites

ZH = (
    "注意力是对值向量的加权平均。模型会遗忘旧知识，显存可以节省一半；每个头有独立的投影矩阵。\n"
    "- **训练**：增大学习率之后，损失先下降再上升。"
)
EN = "The cache is small. It can run on one GPU, and training uses more memory than inference."
NEGATOR = re.compile("不|没|无|非|未")


def test_a_swap_replaces_a_fact_with_its_opposite_both_ways() -> None:
    assert rewrites.swap_fact("增大学习率") == "减小学习率"
    assert rewrites.swap_fact("减小学习率") == "增大学习率"
    assert rewrites.swap_fact("The loss will increase") == "The loss will decrease"
    assert rewrites.swap_fact("Dense retrieval") == "Sparse retrieval"


def test_a_swap_changes_one_fact_per_clause_so_two_swaps_cannot_cancel() -> None:
    swapped = rewrites.swap_fact("增大批量会降低梯度噪声")
    assert swapped == "减小批量会降低梯度噪声"


def test_every_clause_of_swapped_is_changed_and_a_clause_without_a_pair_is_negated() -> None:
    swapped = rewrites.swapped(ZH)
    before, after = rewrites.clauses(ZH), rewrites.clauses(swapped)
    assert len(before) == len(after)
    assert all(a != b for a, b in zip(before, after, strict=True))
    assert "减小学习率" in swapped and "独立" not in swapped  # swapped facts
    assert "注意力不是对值向量的加权平均" in swapped  # no pair there: negated


def test_negation_adds_a_negator_to_each_clause() -> None:
    for text in (ZH, EN):
        before, after = rewrites.clauses(text), rewrites.clauses(rewrites.negated(text))
        assert len(before) == len(after)
        for original, negated in zip(before, after, strict=True):
            if text is EN:
                assert re.search(r"\bnot\b|cannot|It is not true", negated), negated
            else:
                assert len(NEGATOR.findall(negated)) > len(NEGATOR.findall(original)), negated


def test_negation_turns_a_negative_clause_positive_and_prefixes_a_clause_without_a_verb() -> None:
    assert rewrites.negate_clause("它不需要奖励模型") == "它需要奖励模型"
    assert rewrites.negate_clause("RoPE 的优点在于外推") == "并不是说RoPE 的优点在于外推"
    assert rewrites.negate_clause("但是性能很好") == "并不是说但是性能很好"  # 是 of 但是, 能 of 性能 stay
    assert rewrites.negate_clause("It is not cheap.", english=True) == "It is cheap."


def test_negated_once_negates_each_sentence_once_up_to_its_full_stop() -> None:
    text = "MQA 共享 K/V；KV cache 更小。GQA 是折中。"
    assert rewrites.negated_once(text) == "并不是说MQA 共享 K/V；KV cache 更小。GQA 不是折中。"


def test_shuffled_in_sentences_keeps_each_sentence_and_its_characters() -> None:
    text = "MQA 共享一组 K/V，KV cache 更小。GQA 是折中。"
    scrambled = rewrites.shuffled_in_sentences(text, random.Random(2))
    assert scrambled != text and scrambled.count("。") == 2
    assert sorted(scrambled) == sorted(text)
    assert sorted(scrambled.split("。")[1]) == sorted("GQA 是折中")


def test_half_wrong_keeps_the_first_half_of_the_sentences_and_changes_the_rest() -> None:
    text = "第一句是对的。第二句也是对的。第三句会变错。第四句可以变错。"
    half = rewrites.sentences(rewrites.half_wrong(text))
    assert half[:2] == rewrites.sentences(text)[:2]
    assert all(h != o for h, o in zip(half[2:], rewrites.sentences(text)[2:], strict=True))


def test_numbers_changed_doubles_whole_numbers_and_skips_a_text_without_any() -> None:
    assert rewrites.numbers_changed("约 6ND FLOPs，每参数 16 字节，1 个头，0.5 倍") == (
        "约 12ND FLOPs，每参数 32 字节，3 个头，0.5 倍"
    )
    assert rewrites.numbers_changed("没有数字的句子。") is None


def test_shuffled_keeps_the_multiset_of_words_without_punctuation() -> None:
    shuffled = rewrites.shuffled(ZH, random.Random(1))
    assert Counter(shuffled.split(" ")) == Counter(rewrites.words(ZH))
    assert shuffled.split(" ") != rewrites.words(ZH)
    assert not re.search(r"[。，；：、*\-\n]", shuffled)


def test_the_keyword_list_names_every_term_without_sentence_punctuation() -> None:
    listed = rewrites.keyword_list(["加权平均", "weighted sum", "加权平均", "RoPE。"])
    assert listed == "加权平均、weighted sum、RoPE"
    assert rewrites.keyword_list(["a", "b"], "en") == "a, b"
    assert not re.search(r"[。！？；!?;\n]", listed)
