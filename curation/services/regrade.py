"""Grades made against an older rubric: which they are, what a regrade would change, the regrade itself.

A grade stores the fingerprint of the rubric it was graded against (`Grade.rubric_hash`); a current grade
whose fingerprint is not the question's rubric's now was made before the rubric was edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from interviews.models import Answer, Grade
from interviews.services.grading import answers_regrade
from interviews.services.judges import judge_get, judge_input_for_question
from questionbank.models import Question, rubric_fingerprint


def question_rubric_hash(question: Question) -> str:
    return rubric_fingerprint(list(question.rubric.all()), list(question.misconceptions.all()))


def stale_grades(question: Question) -> QuerySet[Grade]:
    """Current judge grades of the question's answers made against another rubric than its present one."""
    return (
        Grade.objects.filter(answer__question=question, is_current=True)
        .exclude(judge=Grade.Judge.HUMAN)
        .exclude(rubric_hash=question_rubric_hash(question))
        .select_related("answer__attempt__candidate")
        .order_by("created_at")
    )


@dataclass(frozen=True)
class RegradeChange:
    answer_id: int
    candidate: str
    old_score: Decimal
    new_score: Decimal

    @property
    def delta(self) -> Decimal:
        return self.new_score - self.old_score


@dataclass(frozen=True)
class DryRun:
    changes: list[RegradeChange]

    @property
    def changed(self) -> list[RegradeChange]:
        return [c for c in self.changes if c.delta]

    @property
    def mean_delta(self) -> Decimal:
        return (
            sum((c.delta for c in self.changes), Decimal(0)) / len(self.changes)
            if self.changes
            else Decimal(0)
        )

    @property
    def largest_change(self) -> Decimal:
        return max((abs(c.delta) for c in self.changes), default=Decimal(0))


def regrade_dry_run(question: Question) -> DryRun:
    """Grade the stale answers again with the current rubric and judge, writing nothing."""
    criteria = list(question.rubric.all())
    misconceptions = list(question.misconceptions.all())
    judge = judge_get()
    changes = []
    for grade in stale_grades(question):
        judge_input = judge_input_for_question(
            question=question, criteria=criteria, misconceptions=misconceptions, answer_text=grade.answer.text
        )
        result = judge.grade(judge_input)
        changes.append(
            RegradeChange(
                answer_id=grade.answer_id,
                candidate=grade.answer.attempt.candidate.get_username(),
                old_score=grade.score,
                new_score=Decimal(result.score).quantize(Decimal("0.01")),
            )
        )
    return DryRun(changes=changes)


def stale_regrade(question: Question) -> int:
    """Queue a regrade of exactly the answers whose current grade is stale; returns how many."""
    ids = stale_grades(question).values_list("answer_id", flat=True)
    return answers_regrade(answers=Answer.objects.filter(pk__in=list(ids)))
