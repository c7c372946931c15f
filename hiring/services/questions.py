"""An interviewer's own question: a draft with its reference, rubric and misconceptions, used only in their
sessions (never in the catalogue or random draws) until an admin publishes it."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from hiring.services.sessions import session_item_add
from interviews.models import Session, SessionItem
from questionbank.models import Misconception, Question, RubricCriterion, Topic


@dataclass(frozen=True)
class RubricPoint:
    description: str
    points: int


@dataclass(frozen=True)
class WrongClaim:
    claim: str
    phrasings: tuple[str, ...]
    point: int  # the number (1..) of the rubric point it contradicts


@transaction.atomic
def custom_question_add(
    *,
    session: Session,
    owner: User,
    prompt: str,
    reference_answer: str,
    difficulty: str,
    language: str,
    topic: Topic | None,
    minutes: int,
    rubric: Sequence[RubricPoint],
    misconceptions: Sequence[WrongClaim] = (),
) -> SessionItem:
    """Create the question and append it to the session."""
    if not rubric:
        raise ValidationError(_("Give at least one rubric point."), code="rubric")
    for wrong in misconceptions:
        if not 1 <= wrong.point <= len(rubric):
            raise ValidationError(_("A wrong claim names a rubric point that does not exist."), code="point")
    question = Question.objects.create(
        slug=f"custom-{owner.pk}-{secrets.token_hex(4)}",
        prompt=prompt.strip(),
        reference_answer=reference_answer.strip(),
        difficulty=difficulty,
        language=language,
        suggested_seconds=minutes * 60,
        status=Question.Status.DRAFT,
        owner=owner,
    )
    if topic is not None:
        question.topics.add(topic)
    criteria = RubricCriterion.objects.bulk_create(
        RubricCriterion(question=question, order=n, description=p.description.strip(), points=p.points)
        for n, p in enumerate(rubric, start=1)
    )
    Misconception.objects.bulk_create(
        Misconception(
            question=question,
            order=n,
            claim=wrong.claim.strip(),
            phrasings=[p for p in wrong.phrasings if p] or [wrong.claim.strip()],
            criterion=criteria[wrong.point - 1],
        )
        for n, wrong in enumerate(misconceptions, start=1)
    )
    # Refused, with the question rolled back, when the session is full or candidates have started it.
    return session_item_add(session=session, question=question)
