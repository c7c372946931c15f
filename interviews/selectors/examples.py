"""Answers people graded, shown to the LLM judge as examples of how a question's rubric is applied."""

from __future__ import annotations

from interviews.grading.recalibration import is_held_aside
from interviews.grading.types import VERDICT_SHARE, GradedExample, Verdict
from interviews.models import ExamplesDecision, Grade


def examples_decision_latest() -> ExamplesDecision | None:
    return ExamplesDecision.objects.order_by("-created_at", "-pk").first()


def human_grades_current() -> list[Grade]:
    """Every answer's current grade made by a person, with its question's rubric and misconceptions (for the
    judge's input): what recalibration learns from and measures on."""
    return list(
        Grade.objects.filter(judge=Grade.Judge.HUMAN, is_current=True, max_score__gt=0)
        .select_related("answer__question")
        .prefetch_related("answer__question__rubric", "answer__question__misconceptions")
        .order_by("pk")
    )


def human_grades_for_question(*, question_id: int, rubric_hash: str) -> list[Grade]:
    """Current grades people made of answers to the question, on its rubric as it is now, newest first."""
    return list(
        Grade.objects.filter(
            judge=Grade.Judge.HUMAN,
            is_current=True,
            answer__question_id=question_id,
            rubric_hash=rubric_hash,
            max_score__gt=0,
        )
        .select_related("answer")
        .order_by("-created_at", "-pk")
    )


def graded_examples(
    *,
    question_id: int,
    rubric_hash: str,
    count: int,
    held_aside_share: float,
    exclude_answer_id: int | None = None,
) -> tuple[GradedExample, ...]:
    """Up to `count` of the newest human grades of the question, never one held aside for measuring (nor
    the answer being graded)."""
    chosen = []
    for grade in human_grades_for_question(question_id=question_id, rubric_hash=rubric_hash):
        if grade.answer_id == exclude_answer_id or is_held_aside(str(grade.answer_id), held_aside_share):
            continue
        chosen.append(example_of(grade))
        if len(chosen) == count:
            break
    return tuple(chosen)


def example_of(grade: Grade) -> GradedExample:
    verdicts: list[tuple[str, Verdict]] = [
        (str(point["criterion_id"]), point["verdict"])
        for point in grade.criteria
        if point.get("verdict") in VERDICT_SHARE
    ]
    return GradedExample(key=str(grade.answer_id), answer=grade.answer.text, verdicts=tuple(verdicts))
