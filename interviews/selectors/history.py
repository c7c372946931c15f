"""A candidate's earlier grades on the same questions, so that a retry's grade is shown beside the others."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from accounts.models import User
from interviews.models import Answer, Grade


@dataclass(frozen=True)
class PastGrade:
    attempt_id: int
    position: int
    submitted_at: datetime | None
    score: Decimal
    max_score: Decimal
    uncertain: bool

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.max_score) if self.max_score else 0


def question_grade_history(*, candidate: User, question_ids: Iterable[int]) -> dict[int, list[PastGrade]]:
    """Per question, the current grades of the candidate's graded answers to it, oldest first (one query)."""
    grades = (
        Grade.objects.filter(
            is_current=True,
            answer__attempt__candidate=candidate,
            answer__question_id__in=list(question_ids),
            answer__status=Answer.Status.GRADED,
        )
        .order_by("answer__submitted_at", "answer_id")
        .values_list(
            "answer__question_id",
            "answer__attempt_id",
            "answer__position",
            "answer__submitted_at",
            "score",
            "max_score",
            "uncertain",
        )
    )
    history: dict[int, list[PastGrade]] = defaultdict(list)
    for question_id, attempt_id, position, submitted_at, score, max_score, uncertain in grades:
        past = PastGrade(attempt_id, position, submitted_at, score, max_score, uncertain)
        history[question_id].append(past)
    return dict(history)
