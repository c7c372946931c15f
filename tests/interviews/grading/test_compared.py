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
        # A name with its abbreviation in brackets is the abbreviation, what answers write.
        ("Multi-Query Attention（MQA）与 Grouped-Query Attention（GQA）是什么？", {"mqa", "gqa"}),
        # ... and "它们与 MHA" adds one more to the things just compared.
        ("MQA 与 GQA 是什么？它们与 MHA 的区别是什么？", {"mqa", "gqa", "mha"}),
        ("它们与 MHA 的区别是什么？", set()),
        ("解释张量并行（TP）和流水线并行（PP）", {"tp", "pp"}),
        # A Chinese name with its English one, amid English names, is the English one.
        (
            "请说明 greedy、beam search、温度（temperature）、top-k 各自怎么做。",
            {"greedy", "beamsearch", "temperature", "topk"},
        ),
        ("视觉编码器、连接器（projector）", {"视觉编码器", "连接器"}),
        # In English prose, the names among the words (a comma separates them too), and no aspects.
        (
            "How do BERT and GPT differ? Compare their architecture, objective and typical use.",
            {"bert", "gpt"},
        ),
        (
            "What are a Prefix LM and a Causal LM? How do they differ in attention mask and inference?",
            {"prefixlm", "causallm"},
        ),
        (
            "When would you use a BERT-style model and when LLaMA, Qwen or ChatGLM?",
            {"llama", "qwen", "chatglm"},
        ),
        (
            "Discuss position encoding, data and training strategy, attention design and system efficiency.",
            set(),
        ),
        ("Why are long contexts hard, and why not just train longer?", set()),
        ("请介绍一下什么是大模型（LLM），它与传统的 NLP 模型有什么区别？", set()),
        ("时间复杂度为 O(n) 与 O(1) 的算法", set()),
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
