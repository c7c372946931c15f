"""Negation and its scope in the offline judge's contradiction signs (`interviews.grading.contradiction`)."""

from __future__ import annotations

import pytest

from interviews.grading.contradiction import contradicts, negations, opening_negation, swapped_concept
from interviews.grading.misconceptions import states


def test_a_conditionals_negation_stays_in_its_condition() -> None:
    assert opening_negation("如果不做负载均衡，其他专家训练不足") == ""
    assert not contradicts("如果不做负载均衡 其他专家训练不足", "其余专家训练不足，")
    assert not contradicts(
        "if the load is not balanced, other experts are undertrained", "other experts are undertrained"
    )
    # The claim after the condition is still read: negating it is a contradiction.
    assert contradicts("如果不做负载均衡 其他专家不会训练不足", "其余专家训练不足，")
    # A condition alone is all there is to read.
    assert contradicts("如果不做负载均衡", "如果做负载均衡")


def test_a_negation_inside_a_loose_match_is_not_the_phrasing() -> None:
    assert not states("KTO 不需要偏好对", ("KTO 需要偏好对",))
    assert not states("KTO 并不需要成对的偏好数据", ("KTO 需要成对偏好数据",))
    assert states("KTO 需要成对的偏好数据", ("KTO 需要成对偏好数据",))
    # A negation the phrasing has itself is part of the claim.
    assert states("KTO 不需要任何参考模型", ("KTO 不需要参考模型",))


@pytest.mark.parametrize(
    "word", ["无偏", "不足", "非负", "无损", "不仅", "不断", "非常", "非零", "不止", "无疑"]
)
def test_lexicalised_compounds_are_no_negations(word: str) -> None:
    assert negations(word) == 0


def test_an_unbiased_estimate_agrees_with_an_estimate() -> None:
    assert not contradicts("用 k3 估计", "用 k3 估计（无偏估计")
    assert not contradicts("专家训练不足", "其余专家训练不足")


def test_a_lexicalised_compound_is_still_contradicted_by_its_antonym() -> None:
    assert contradicts("其余专家训练充足", "其余专家训练不足")


@pytest.mark.parametrize("word", ["不", "没有", "无法", "并非", "未", "不需要", "无需"])
def test_real_negations_still_count(word: str) -> None:
    assert negations(word) == 1


@pytest.mark.parametrize(
    ("statement", "reference"),
    [
        ("训练一个稠密模型的总计算量约为 2ND FLOPs", "训练一个稠密模型的总计算量约为 6ND FLOPs"),
        ("用 AdamW 混合精度训练，每个参数约占 4 字节", "用 AdamW 混合精度训练，每个参数约占 16 字节"),
        ("双链表可以删除它，时间复杂度为O(n)", "双链表可以删除它，时间复杂度为 O(1)"),
    ],
)
def test_another_number_in_a_reworded_statement_is_a_swapped_fact(statement: str, reference: str) -> None:
    assert swapped_concept(statement, reference, frozenset())


@pytest.mark.parametrize(
    ("statement", "reference"),
    [
        ("这种树的总数为 2^(n-1) 种", "这种树的总数为2的n-1次方种"),  # one formula, written two ways
        ("2. 链表的存储空间不连续，需要指针", "1. 链表的存储空间不连续，需要指针"),  # list markers
        ("每个参数约占 16 字节，共 112 GB", "每个参数约占 16 字节，共 112 GB"),
        ("标准注意力的时间复杂度是 O(n²)", "标准注意力的时间复杂度是 O（n^2）"),
    ],
)
def test_the_same_number_or_another_list_marker_is_no_swap(statement: str, reference: str) -> None:
    assert not swapped_concept(statement, reference, frozenset())


def test_one_and_a_single_are_the_same_count() -> None:
    """The reference says "one K/V head" elsewhere, so "one" is in its vocabulary: a correct English answer
    read "one" for "a single" as a concept swap, a wrong claim that capped every point at partial."""
    vocabulary = frozenset({"one", "single", "query", "heads", "share", "head", "group"})
    reference = "all query heads share a single K/V head"
    assert not swapped_concept("all query heads share one K/V head", reference, vocabulary)
    assert swapped_concept(
        "all query heads share one K/V group", "all query heads share one K/V head", vocabulary
    )


def test_a_shorter_chinese_word_made_of_the_references_characters_is_no_swap() -> None:
    """ "分组" for "分成若干组" says it shorter; "解码器" for "编码器" brings a character of its own."""
    vocabulary = frozenset({"分组", "解码器", "编码器", "查询"})
    assert not swapped_concept("GQA 把查询头分组", "GQA 把查询头分成若干组", vocabulary)
    assert swapped_concept("BERT 只用 Transformer 的解码器", "BERT 只用 Transformer 的编码器", vocabulary)


def test_an_english_word_of_the_same_stem_is_no_swap() -> None:
    """A LoRA answer's "self.scale = alpha / r" was reported as a wrong claim against the reference's
    "self.scaling = alpha / r", and the scaling point it states was missed."""
    vocabulary = frozenset({"scale", "scaling", "alpha", "bias"})
    assert not swapped_concept("self.scale = alpha / r", "self.scaling = alpha / r", vocabulary)
    assert swapped_concept("self.bias = alpha / r", "self.scaling = alpha / r", vocabulary)


def test_the_same_count_counted_another_way_is_no_swap() -> None:
    """ "两路逐元素相乘" for "二者逐元素相乘" (GLU's two branches) capped a right answer at 3/10."""
    vocabulary = frozenset({"两路", "二者", "三者", "一路"})
    assert not swapped_concept("两路逐元素相乘", "二者逐元素相乘", vocabulary)
    assert swapped_concept("三者逐元素相乘", "二者逐元素相乘", vocabulary)


@pytest.mark.parametrize(
    ("statement", "reference"),
    [
        ("验证损失持续上升说明模型欠拟合了", "验证损失持续上升说明模型过拟合了"),  # 过/欠, in no antonym list
        ("先在下游任务上预训练", "先在上游任务上预训练"),
        ("学习率调大以后有效步长变短", "学习率调大以后有效步长变长"),  # segmented "变短" / "变长" or not
        ("把 batch 减小一倍", "把 batch 增大一倍"),  # both characters swapped
    ],
)
def test_a_word_built_from_opposite_morphemes_contradicts(statement: str, reference: str) -> None:
    assert contradicts(statement, reference)
    assert not contradicts(reference, reference)


@pytest.mark.parametrize(
    ("statement", "reference"),
    [("把 batch 增加一倍", "把 batch 增大一倍"), ("模型更大一些", "模型大一些"), ("上文", "上文和下文")],
)
def test_a_word_changed_otherwise_is_no_opposite(statement: str, reference: str) -> None:
    assert not contradicts(statement, reference)


@pytest.mark.parametrize(
    ("sentence", "opening"),
    [
        ("并不是说所有头都共享 K 和 V", "不是"),
        ("其实不是这样", "不是"),
        ("不需要额外的空间", "不"),
        ("Not every head shares K", "not"),
        # After a noun the negation is its clause's own, however jieba cuts it (单链/表不/可以).
        ("单链表不可以；双链表可以，时间复杂度为 O(1)", ""),
        ("栈顶元素不一定最先入栈，但一定最先出栈", ""),
        ("MQA 不会改变 FLOPs，只减少 KV cache", ""),
    ],
)
def test_only_a_negation_at_the_opening_covers_the_sentence(sentence: str, opening: str) -> None:
    assert opening_negation(sentence) == opening


def test_one_value_written_another_way_is_no_swapped_number() -> None:
    vocabulary = frozenset(["删除", "元素", "平均", "移动", "n", "1", "2", "3"])
    reference = "等概率时删除一个元素平均移动 (n-1)/2 个元素。"
    assert not swapped_concept("等概率时删除一个元素平均要移动 3(n-1)/6 个元素。", reference, vocabulary)
    assert swapped_concept("等概率时删除一个元素平均要移动 (n-1)/3 个元素。", reference, vocabulary)
