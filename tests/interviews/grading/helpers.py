"""Judge inputs for the offline judge's tests: a small MQA question for rule-by-rule tests, inputs built
from the real bank files (no database), and answers generated from a rubric."""

from __future__ import annotations

from functools import cache

from interviews.grading.bank_input import judge_input
from interviews.grading.offline import OfflineJudge
from interviews.grading.types import (
    CriterionInput,
    CriterionResult,
    GradeResult,
    JudgeInput,
    MisconceptionInput,
)
from questionbank.bank_files import QuestionSpec, read_bank

judge = OfflineJudge()

QUESTION = "Multi-Query Attention（MQA）与 Grouped-Query Attention（GQA）是什么？二者与 MHA 的区别是什么？"
REFERENCE = (
    "MHA 中每个查询头都有自己独立的 K 和 V 头。"
    "MQA 让所有查询头共享同一组 K/V，KV cache 缩小为原来的 1/h，解码时显存带宽压力大大降低。"
    "GQA 把查询头分成若干组，组内共享一组 K/V，是 MHA 和 MQA 之间的折中，质量接近 MHA，速度接近 MQA。"
)
CRITERIA = (
    CriterionInput("c1", "说明 MHA 中每个查询头有独立的 K/V 头", 2, ("独立的 K/V",)),
    CriterionInput("c2", "说明 MQA 让所有查询头共享同一组 K/V", 3, ("共享同一组 K/V", "shared key/value")),
    CriterionInput("c3", "说明 GQA 把查询头分组，组内共享 K/V，是二者的折中", 3, ("分组", "折中")),
    CriterionInput("c4", "说明好处：KV cache 变小，解码时显存带宽压力降低", 2, ("KV cache 变小",)),
)
MISCONCEPTION = MisconceptionInput(
    claim="MQA 减少了查询头的数量", phrasings=("减少了查询头", "减少查询头的数量"), criterion_id="c2"
)


def grade(answer: str, **changes: object) -> object:
    """The offline judge's grade of an answer to the MQA question; `changes` replace fields of its input."""
    fields: dict[str, object] = {
        "question": QUESTION,
        "reference": REFERENCE,
        "criteria": CRITERIA,
        "answer": answer,
        "misconceptions": (MISCONCEPTION,),
    }
    fields.update(changes)
    return judge.grade(JudgeInput(**fields))  # type: ignore[arg-type]


def by_id(result: object) -> dict[str, CriterionResult]:
    return {c.id: c for c in result.criteria}  # type: ignore[attr-defined]


OFF_TOPIC = {
    "zh": "今天天气很好，我们去公园散步。晚饭做了红烧肉：五花肉切块焯水，炒糖色，加酱油和水炖一个小时。",
    "en": "The weather was lovely today, so we walked in the park and cooked a stew with potatoes.",
}


@cache
def bank_questions() -> tuple[QuestionSpec, ...]:
    return tuple(read_bank().questions)


def bank_question(slug: str) -> QuestionSpec:
    return next(q for q in bank_questions() if q.slug == slug)


def bank_grade(slug: str, answer: str) -> tuple[JudgeInput, GradeResult]:
    """The offline judge's grade of an answer to a bank question, with the input it graded (point ids)."""
    graded = judge_input(bank_question(slug), answer)
    return graded, OfflineJudge().grade(graded)


def half_answer(spec: QuestionSpec) -> tuple[str, float, set[str]]:
    """An answer making every other rubric point (in its own words: description and first term).

    Returns the answer, the share of the points it makes, and the ids of those points.
    """
    chosen = [(f"c{i}", c) for i, c in enumerate(spec.rubric, 1) if i % 2 == 1]
    total = sum(c.points for c in spec.rubric)
    sentences = [f"{c.description}（{c.terms[0]}）。" if c.terms else f"{c.description}。" for _, c in chosen]
    return "\n".join(sentences), sum(c.points for _, c in chosen) / total, {cid for cid, _ in chosen}
