"""Interview sessions built by an interviewer, taken by candidates through the invite, graded by factories."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone, translation

from accounts.models import User
from hiring.services.invites import invite_attempt_start
from interviews.models import Attempt, Grade, Session, SessionItem
from tests.accounts.factories import InterviewerFactory
from tests.interviews.factories import GradeFactory
from tests.questionbank.factories import QuestionFactory, TopicFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def other_interviewer(db) -> User:
    return InterviewerFactory(username="other-interviewer")


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def session(interviewer) -> Session:
    """An open interview of two fixed questions (rubrics of 4 + 3 + 3 points) owned by `interviewer`."""
    topic = TopicFactory(slug="attention", name_zh="注意力机制", name_en="Attention")
    session = Session.objects.create(
        owner=interviewer, kind=Session.Kind.INTERVIEW, title="Backend hire", time_limit_seconds=1200
    )
    for order in (1, 2):
        question = QuestionFactory(prompt=f"第{order}题：解释注意力的缩放", topics=[topic])
        SessionItem.objects.create(session=session, question=question, order=order, time_seconds=300)
    return session


@pytest.fixture
def take(session) -> Callable[..., Attempt]:
    """A candidate takes the session through the invite and every answer gets a current judge grade."""

    def take_(candidate: User, *, score: str = "6", **grade: object) -> Attempt:
        attempt = invite_attempt_start(session=session, candidate=candidate)
        for answer in attempt.answers.all():
            answer.text = f"answer of {candidate.username} to {answer.position}"
            answer.save(update_fields=["text"])
            GradeFactory(answer=answer, score=Decimal(score), **grade)
        Attempt.objects.filter(pk=attempt.pk).update(status=Attempt.Status.GRADED, finished_at=timezone.now())
        attempt.refresh_from_db()
        return attempt

    return take_


def current_grade(attempt: Attempt, position: int = 1) -> Grade:
    return Grade.objects.get(answer__attempt=attempt, answer__position=position, is_current=True)
