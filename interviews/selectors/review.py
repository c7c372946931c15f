"""Grades that need a person: what the interviewers' review queue is built on."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.roles import is_admin, is_interviewer
from interviews.grading.types import Flag
from interviews.models import Grade


def grades_needing_review(*, sessions_owned_by: User | None = None) -> QuerySet[Grade]:
    """Current grades a person should look at: uncertain, provisional, or flagged as a suspected injection.

    `sessions_owned_by` keeps the grades of answers in that user's sessions (an interviewer's queue); None
    keeps all (an admin's). Oldest first, so the queue is worked in the order candidates waited. Human
    grades never need review: a person made them.
    """
    # Flags are a JSON list of fixed names: matching a name in its text works on SQLite (the embedded
    # default) as on PostgreSQL; a JSON containment lookup would not.
    needs_person = Q(uncertain=True) | Q(provisional=True) | Q(flags__icontains=f'"{Flag.INJECTION}"')
    grades = (
        Grade.objects.filter(is_current=True)
        .exclude(judge=Grade.Judge.HUMAN)
        .filter(needs_person)
        .select_related("answer__question", "answer__attempt__session", "answer__attempt__candidate")
    )
    if sessions_owned_by is not None:
        grades = grades.filter(answer__attempt__session__owner=sessions_owned_by)
    return grades.order_by("created_at", "pk")


def grade_get_for_reviewer(*, user: User, grade_id: int) -> Grade:
    """A grade whose "why" the user may read: any for an admin, those of their own sessions for an
    interviewer; a 404 for anyone else (a candidate too: the audit holds the reference and the rubric)."""
    grades = Grade.objects.select_related(
        "answer__question", "answer__attempt__session", "answer__attempt__candidate", "graded_by"
    )
    if is_admin(user):
        return get_object_or_404(grades, pk=grade_id)
    if is_interviewer(user):
        return get_object_or_404(grades, pk=grade_id, answer__attempt__session__owner=user)
    raise Http404
