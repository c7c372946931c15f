"""When a candidate may read a question's reference answer and rubric: after an honest try.

Open: the candidate submitted a non-empty answer to the question, in a session whose review options show
references, and the question is in none of the candidate's open attempts (where a reference, read in another
tab, would be pasted back). Interviewers' access is decided above (catalogue.selectors).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.roles import AnyUser
from interviews.models import Answer, Attempt, ReviewTiming


class ReferenceAccess(StrEnum):
    OPEN = "open"
    NOT_ANSWERED = "not_answered"
    ONLY_EMPTY = "only_empty"
    IN_OPEN_ATTEMPT = "in_open_attempt"
    SESSION_FORBIDS = "session_forbids"


# Why a reference is hidden, for the page to say.
REFERENCE_HIDDEN_REASONS = {
    ReferenceAccess.NOT_ANSWERED: _(
        "They open once you have submitted your own answer to this question, in a practice session or an "
        "interview, so that you first answer it without help."
    ),
    ReferenceAccess.ONLY_EMPTY: _(
        "Your submitted answers to this question were empty. They open after an answer with content: an "
        "honest try first."
    ),
    ReferenceAccess.IN_OPEN_ATTEMPT: _(
        "This question is part of an interview or practice you have not finished yet. "
        "They open after it ends."
    ),
    ReferenceAccess.SESSION_FORBIDS: _(
        "The sessions in which you answered this question do not show references."
    ),
}

_EMPTY = Q(text__regex=r"^\s*$")


def _submitted(candidate: AnyUser, question_ids: Iterable[int]) -> QuerySet[Answer]:
    return Answer.objects.filter(
        attempt__candidate_id=candidate.pk, question_id__in=list(question_ids)
    ).exclude(status=Answer.Status.DRAFT)


def _in_open_attempts(candidate: AnyUser, question_ids: Iterable[int]) -> set[int]:
    rows = Answer.objects.filter(
        attempt__candidate_id=candidate.pk,
        attempt__status=Attempt.Status.IN_PROGRESS,
        question_id__in=list(question_ids),
    )
    return set(rows.values_list("question_id", flat=True))


def questions_with_reference_open(*, candidate: AnyUser, question_ids: Iterable[int]) -> set[int]:
    """Of these questions, those whose reference this candidate may read now."""
    if not candidate.is_authenticated:
        return set()
    ids = list(question_ids)
    honest = (
        _submitted(candidate, ids)
        .exclude(_EMPTY)
        .exclude(attempt__session__review_reference=ReviewTiming.NEVER)
        .values_list("question_id", flat=True)
    )
    return set(honest) - _in_open_attempts(candidate, ids)


def reference_access(*, candidate: AnyUser, question_id: int) -> ReferenceAccess:
    """Whether the reference is open to this candidate, or why not."""
    if not candidate.is_authenticated:
        return ReferenceAccess.NOT_ANSWERED
    if _in_open_attempts(candidate, [question_id]):
        return ReferenceAccess.IN_OPEN_ATTEMPT
    if questions_with_reference_open(candidate=candidate, question_ids=[question_id]):
        return ReferenceAccess.OPEN
    submitted = _submitted(candidate, [question_id])
    if not submitted.exists():
        return ReferenceAccess.NOT_ANSWERED
    if not submitted.exclude(_EMPTY).exists():
        return ReferenceAccess.ONLY_EMPTY
    return ReferenceAccess.SESSION_FORBIDS
