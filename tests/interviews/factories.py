"""Interview rows: sessions, attempts, answers and grades, in the shapes the services leave them.

Attempts made here have no session items; tests of the real flow start attempts through the services
(`start_practice` in tests/interviews/conftest.py).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from interviews.models import Answer, Attempt, Grade, Session, SessionItem
from tests.accounts.factories import UserFactory
from tests.questionbank.factories import QuestionFactory

GRADE_CRITERIA = [
    {
        "criterion_id": 1,
        "description": "指出 Q、K 使用不同投影的作用",
        "points_possible": 4,
        "verdict": "met",
        "points": 4,
        "evidence": "不同的投影让注意力不对称",
        "comment": "",
    },
    {
        "criterion_id": 2,
        "description": "说明缩放因子的作用",
        "points_possible": 6,
        "verdict": "partial",
        "points": 2,
        "evidence": "",
        "comment": "没有解释方差",
    },
]


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    owner = factory.SubFactory(UserFactory)
    kind = Session.Kind.PRACTICE
    title = factory.Sequence(lambda n: f"practice {n}")
    time_limit_seconds = 600


class SessionItemFactory(DjangoModelFactory):
    """A question of a session, after its others: `attempt_start` makes one draft answer per item."""

    class Meta:
        model = SessionItem

    session = factory.SubFactory(SessionFactory)
    question = factory.SubFactory(QuestionFactory)
    order = factory.LazyAttribute(lambda o: o.session.items.count() + 1)


class AttemptFactory(DjangoModelFactory):
    """An attempt in progress with its deadline from the session's time limit; `finished=True` closes it."""

    class Meta:
        model = Attempt

    class Params:
        finished = factory.Trait(
            status=Attempt.Status.SUBMITTED, finished_at=factory.LazyFunction(timezone.now)
        )

    candidate = factory.SubFactory(UserFactory)
    session = factory.SubFactory(SessionFactory, owner=factory.SelfAttribute("..candidate"))
    started_at = factory.LazyFunction(timezone.now)
    deadline = factory.LazyAttribute(lambda o: o.started_at + timedelta(seconds=o.session.time_limit_seconds))


class AnswerFactory(DjangoModelFactory):
    """A draft answer after the attempt's others; any other status has its submission time."""

    class Meta:
        model = Answer

    attempt = factory.SubFactory(AttemptFactory)
    question = factory.SubFactory(QuestionFactory)
    position = factory.LazyAttribute(lambda o: o.attempt.answers.count() + 1)
    status = Answer.Status.DRAFT
    text = factory.LazyAttribute(lambda o: "" if o.status == Answer.Status.DRAFT else "my answer")
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == Answer.Status.DRAFT else timezone.now()
    )
    saved_at = factory.SelfAttribute("submitted_at")


class GradeFactory(DjangoModelFactory):
    """The current grade of an answer, as the grading service stores it; the answer is marked graded."""

    class Meta:
        model = Grade
        skip_postgeneration_save = True

    answer = factory.SubFactory(AnswerFactory, status=Answer.Status.GRADED)
    judge = Grade.Judge.OFFLINE
    answer_hash = "a" * 64
    rubric_hash = "r" * 16
    score = Decimal("6")
    max_score = Decimal("10")
    criteria = factory.LazyFunction(lambda: [dict(c) for c in GRADE_CRITERIA])
    feedback = "思路清楚，缺少对方差的讨论。"

    @factory.post_generation
    def mark_graded(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Pass `mark_graded=False` to leave the answer's status alone."""
        if not create or extracted is False or self.answer.status == Answer.Status.GRADED:
            return
        answer = self.answer
        answer.status = Answer.Status.GRADED
        answer.submitted_at = answer.submitted_at or timezone.now()
        answer.save(update_fields=["status", "submitted_at"])
