"""Grades that need a person: what the interviewers' review queue is built on."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from interviews.grading.types import Flag
from interviews.models import Grade


def grades_needing_review(*, sessions_owned_by: User | None = None) -> QuerySet[Grade]:
    """Current grades a person should look at: uncertain, provisional, or flagged as a suspected injection.

    `sessions_owned_by` keeps the grades of answers in that user's sessions (an interviewer's queue); None
    keeps all (an admin's). Oldest first, so the queue is worked in the order candidates waited. Human
    grades never need review: a person made them.
    """
    needs_person = Q(uncertain=True) | Q(provisional=True) | Q(flags__contains=[str(Flag.INJECTION)])
    grades = (
        Grade.objects.filter(is_current=True)
        .exclude(judge=Grade.Judge.HUMAN)
        .filter(needs_person)
        .select_related("answer__question", "answer__attempt__session", "answer__attempt__candidate")
    )
    if sessions_owned_by is not None:
        grades = grades.filter(answer__attempt__session__owner=sessions_owned_by)
    return grades.order_by("created_at", "pk")
