"""The things a comparison question compares (`interviews.grading.compared`)."""

from __future__ import annotations

import pytest

from interviews.grading.compared import compared_items, named


@pytest.mark.parametrize(
    ("question", "items"),
    [
        ("在单链表、双链表和循环单链表中，能否删去结点？", {"单链表", "双链表", "循环单链表"}),
        ("简述顺序栈与链栈的特点", {"顺序栈", "链栈"}),
        ("MHA、MQA 和 GQA 有什么区别？", {"mha", "mqa", "gqa"}),
        ("什么是 Prefix LM 和 Causal LM？", {"prefixlm", "causallm"}),
        # Aspects, not things: no head word shared, or phrases.
        ("请从解码策略、训练方法和数据层面说明", set()),
        ("怎样生成和筛选高质量的合成数据？", set()),
        ("栈底元素是不能删除的元素", set()),
    ],
)
def test_the_items_of_an_enumeration_of_names(question: str, items: set[str]) -> None:
    assert compared_items(question) == items


def test_a_text_names_the_longest_item_it_holds() -> None:
    items = compared_items("在单链表、双链表和循环单链表中")
    assert named("循环单链表可以，要绕一圈", items) == {"循环单链表"}
    assert named("单链表和双链表不同", items) == {"单链表", "双链表"}
    assert named("都可以", items) == frozenset()
