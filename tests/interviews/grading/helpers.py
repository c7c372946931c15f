"""Judge inputs built from the real bank files (no database), and answers generated from a rubric."""

from __future__ import annotations

from functools import cache

from interviews.grading.bank_input import judge_input
from interviews.grading.offline import OfflineJudge
from interviews.grading.types import GradeResult, JudgeInput
from questionbank.bank_files import QuestionSpec, read_bank

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
