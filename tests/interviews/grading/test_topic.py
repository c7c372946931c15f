"""Off topic and padding (interviews/grading/topic.py), through the offline judge."""

from __future__ import annotations

import pytest

from interviews.grading.bank_input import judge_input
from interviews.grading.types import CriterionInput, Flag
from interviews.management.commands.evaluate_judge import _read_dataset
from questionbank.bank_files import read_bank
from tests.conftest import shared_path
from tests.interviews.grading.helpers import REFERENCE, grade, judge


def test_unrelated_filler_earns_nothing_and_is_flagged() -> None:
    filler = "今天天气很好，我们去公园散步，看到很多人在放风筝。晚饭做了红烧肉，炖了一个小时。" * 4
    alone = grade(REFERENCE)
    padded = grade(REFERENCE + filler)
    assert padded.score <= alone.score
    assert Flag.FILLER in padded.flags and Flag.FILLER not in alone.flags


def test_padding_from_the_same_field_is_flagged_and_a_short_aside_is_not() -> None:
    """Another topic's answer is near the question's context (the encoder puts a field's sentences close
    together) and shares the prompt's words ("区别", "query"), but is near none of the reference's statements:
    a paragraph of it is padding. A line beside the point is no padding."""
    padding = (
        "LoRA 与全参数微调的区别是只训练旁路上的两个低秩矩阵，预训练模型的原权重冻结不动。"
        "DPO 与 PPO 的区别是不训练奖励模型，直接用偏好对优化策略，损失里隐含了与参考模型的 KL 约束。"
        "RoPE 把 query 和 key 按位置旋转，内积只依赖相对位置，外推时常配合插值。"
        "RMSNorm 与 LayerNorm 的区别是去掉了减均值和偏置，只保留缩放，计算更省而效果相当。"
    )
    padded = grade(REFERENCE + padding)
    assert Flag.FILLER in padded.flags
    assert padded.score <= grade(REFERENCE).score
    aside = grade(REFERENCE + "这些变体在开源模型里都很常见。")
    assert Flag.FILLER not in aside.flags


def test_a_sentence_beside_a_short_answer_is_no_padding_and_padding_beside_a_short_reference_is() -> None:
    """Padding is text as long as a whole answer: "我记得是这样。" is a fifth of a one-line answer, but no
    padding. Three times a short reference of unrelated text is, though shorter than a paragraph."""
    assert Flag.FILLER not in grade("我记得是这样。MQA 让所有查询头共享同一组 K/V。").flags
    short = "错误。进栈 123，可以出栈 132。"
    point = (CriterionInput("c1", "判断：错误，出栈顺序不一定与进栈相反", 10, ("错误",)),)
    filler = (
        "今天天气很好，我们去公园散步，看到很多人在放风筝。晚饭做了红烧肉，炖了一个小时。"
        "周末打算去爬山看日出，顺便拍些照片，晚上再去吃火锅。"
    )
    assert 3 * len(short) <= len(filler) < 150
    question = "n 个元素进栈后，出栈顺序一定与进栈相反吗？"
    padded = grade(short + filler, question=question, reference=short, criteria=point)
    assert Flag.FILLER in padded.flags


def test_an_off_topic_answer_scores_nothing_and_is_flagged() -> None:
    other = "层归一化对每个样本的特征维度求均值和方差，再做缩放和平移；RMSNorm 去掉了减均值这一步，计算更省。"
    result = grade(other)
    assert result.score == 0
    assert Flag.OFF_TOPIC in result.flags
    assert Flag.OFF_TOPIC not in grade("MQA 让所有查询头共享同一组 K/V。").flags


@pytest.mark.parametrize("answer", ["不太清楚。", "不会", "没学过，跳过"])
def test_an_answer_that_says_next_to_nothing_earns_nothing_and_is_not_called_off_topic(answer: str) -> None:
    """ "不太清楚。" is about no other question: the interviewer's table said "Off topic" beside it."""
    result = grade(answer)
    assert result.score == 0
    assert Flag.OFF_TOPIC not in result.flags


# Answers as candidates talk: right, practical, in their own register, few of the rubric's words.
CASUAL_ANSWERS = [
    (
        "mqa-vs-gqa",
        "这个问题我在项目里遇到过。注意力机制是 Transformer 的核心，推理的时候每一步"
        "都要做注意力计算。我们当时部署一个 7B 模型，发现显存很快就不够用了，尤其是上下文变长"
        "以后，batch 也开不大。后来查资料，发现很多新模型在注意力的 K 和 V 上做了文章"
        "，具体来说是让多个头共用一些东西，这样缓存会小很多。Llama 2 的 70B 就用了这"
        "种办法。我觉得这类方法本质上是在效果和效率之间做权衡，头之间共用得越多，省得越多，但模型"
        "效果可能会差一点。实际选的时候要看业务对延迟和质量的要求，我们最后选了一个分组的方案。",
    ),
    (
        "positional-encoding-types",
        "位置编码这个东西很重要。Transformer 本身看不出词的先后顺序，所以要额外告诉它"
        "位置信息。最早的论文里用的是三角函数那种固定的编码，后来 BERT 直接学一个位置向量表"
        "。现在的大模型基本都换成了旋转的那种方法，比如 Llama 系列，好处是对长文本更友好。"
        "还有一些方法是直接在注意力分数上加一个跟距离有关的偏置。我在做长文本项目的时候，主要关心"
        "的是外推能力，也就是训练的时候 4K，推理的时候能不能用到 16K 甚至更长，这方面不同"
        "方法差别挺大的，一般要配合插值之类的技巧。",
    ),
    (
        "flash-attention-principle",
        "FlashAttention 我用过，装起来有点麻烦，要对应 CUDA 版本。用上之后训"
        "练速度快了不少，显存也省了，能开更大的 batch。它的原理大概是把注意力的计算拆成小块"
        "，在 GPU 的片上内存里算完再写回去，避免反复读写显存。我们当时对比过，序列越长收益越"
        "明显。它算出来的结果和普通注意力是一样的，不是近似。后来出了第二版和第三版，第三版主要针"
        "对 H100。现在 PyTorch 里的 scaled_dot_product_atte"
        "ntion 也会自动调用类似的实现。我觉得它最大的意义是让长上下文训练变得可行，以前 8"
        "K 的序列就很吃力，现在 32K 甚至更长都能训。另外推理框架比如 vLLM 也集成了类"
        "似的 kernel，prefill 阶段受益最大。需要注意的是它对 head dim 有"
        "要求，太大的话不支持，老一点的显卡比如 V100 也用不了第二版。总之这是一个纯工程上的"
        "优化，不改变模型本身，所以几乎所有新模型训练都会默认打开。我们组里有同事试过自己写 Tr"
        "iton 版本，性能能到官方实现的八成左右，但调试很痛苦，数值上要特别注意 softma"
        "x 的溢出问题。面试的时候如果被问到，我一般会从显存带宽讲起：GPU 算得很快，但是数据"
        "搬运慢，所以减少搬运就是加速。还有一点，它的反向传播不存中间的大矩阵，而是需要的时候重新"
        "算一遍，用计算换显存。",
    ),
]


@pytest.mark.parametrize(("slug", "answer"), CASUAL_ANSWERS, ids=[slug for slug, _ in CASUAL_ANSWERS])
def test_a_casual_answer_on_the_question_is_never_off_topic(slug: str, answer: str) -> None:
    """A rule that flagged long answers with few statements near a point flagged the FlashAttention one
    (583 characters) as off topic; its grade without that rule is 70 %."""
    question = next(q for q in read_bank().questions if q.slug == slug)
    result = judge.grade(judge_input(question, answer))
    assert Flag.OFF_TOPIC not in result.flags and result.score > 0


def test_answers_people_scored_well_are_seldom_flagged_off_topic() -> None:
    """Of the ADS answers its graders scored 6 or more (889), at most 5 are flagged off topic (and so graded
    0); 8 were while an answer whose points the judge found could still be flagged for its embedding alone
    (a terse "错。只有在一次性将n个元素全部入栈的时候才成立。", scored 10)."""
    items = _read_dataset(shared_path("judge-data/ads-dev.jsonl"))
    liked = [item for item in items if item.human >= 6]
    flagged = [item for item in liked if Flag.OFF_TOPIC in judge.grade(item.judge_input).flags]
    assert len(liked) == 889 and len(flagged) <= 5
