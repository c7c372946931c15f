"""The review queue: grades that need a person (interviews.selectors.review) and grades with open appeals."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils.crypto import salted_hmac

from accounts.models import User
from accounts.roles import is_admin
from interviews.grading.types import Flag
from interviews.models import Answer, Appeal, Grade, Session
from interviews.selectors.review import grades_needing_review


@dataclass(frozen=True)
class QueueEntry:
    grade: Grade
    appeals: list[Appeal]
    alias: str  # what a blind review shows instead of the candidate's name

    @property
    def answer(self) -> Answer:
        return self.grade.answer

    @property
    def reasons(self) -> list[str]:
        grade, reasons = self.grade, []
        if grade.judge != Grade.Judge.HUMAN:
            reasons += [
                name
                for name, on in (("uncertain", grade.uncertain), ("provisional", grade.provisional))
                if on
            ]
            if Flag.INJECTION in grade.flags:
                reasons.append("injection")
        if self.appeals:
            reasons.append("appealed")
        return reasons


def review_queue(*, user: User, blind: bool = False) -> list[QueueEntry]:
    """The user's queue (an admin's holds every interviewer's): oldest first, or, blind, in an order that is
    pseudo-random but the same at every visit (so that names cannot be guessed from the order)."""
    owner = None if is_admin(user) else user
    needing = grades_needing_review(sessions_owned_by=owner).values("pk")
    appealed = Q(
        is_current=True, answer__in=Appeal.objects.filter(status=Appeal.Status.OPEN).values("answer")
    )
    if owner is not None:
        appealed &= Q(answer__attempt__session__owner=owner)
    # Only the open appeals: the answer's `appeals` hold these here.
    open_appeals = Prefetch("answer__appeals", queryset=Appeal.objects.filter(status=Appeal.Status.OPEN))
    grades = (
        Grade.objects.filter(Q(pk__in=needing) | appealed)
        .filter(answer__attempt__session__kind=Session.Kind.INTERVIEW)
        .select_related("answer__question", "answer__attempt__session", "answer__attempt__candidate")
        .prefetch_related(open_appeals)
        .order_by("created_at", "pk")
    )
    entries = [
        QueueEntry(
            grade=g, appeals=list(g.answer.appeals.all()), alias=blind_alias(user=user, answer=g.answer)
        )
        for g in grades
    ]
    if blind:
        entries.sort(key=lambda e: _digest(user, "order", e.answer.pk))
    return entries


def blind_alias(*, user: User, answer: Answer) -> str:
    """A name for the candidate that is stable for this reviewer and reveals nothing."""
    return _digest(user, "candidate", answer.attempt.candidate_id)[:6].upper()


def _digest(user: User, purpose: str, value: int) -> str:
    # Keyed with SECRET_KEY: without it a reviewer could hash every candidate's id and undo the blinding.
    return salted_hmac(f"hiring.blind.{purpose}", f"{user.pk}:{value}").hexdigest()
