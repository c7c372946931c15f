"""An answer cut into units (`interviews.grading.clauses`): lists and the scope of a sentence's negation."""

from __future__ import annotations

from interviews.grading.clauses import is_list, units
from interviews.grading.contradiction import contradicts


def test_a_clause_with_its_own_negation_does_not_inherit_the_sentences() -> None:
    clauses = [u for u in units("KTO：不需要成对的偏好数据") if not u.whole]
    assert [u.claim for u in clauses] == ["KTO：", "不需要成对的偏好数据"]
    assert not any(contradicts(u.claim, "不需要成对数据") for u in clauses[1:])


def test_a_clause_without_a_negation_inherits_the_sentences() -> None:
    clauses = [u for u in units("并不是所有头都计算，只算一部分") if not u.whole]
    assert clauses[1].scope


def test_a_condition_opening_with_a_negation_covers_no_other_clause() -> None:
    clauses = [u for u in units("如果不做负载均衡，其他专家训练不足") if not u.whole]
    assert [u.scope for u in clauses] == ["", ""]


def test_spaces_around_english_words_make_no_list() -> None:
    assert not is_list("KV cache 缓存已生成 token 的 K 和 V，")
    assert not is_list("用 RoPE 给 Q 和 K 加上位置信息")


def test_space_separated_chinese_terms_are_a_list() -> None:
    assert is_list("注意力 前馈 残差")
    assert is_list("注意力、前馈、残差、归一化")
