"""Builders for the foundation tests: questions without the bank, answers in a candidate's attempt."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from interviews.models import Answer, Attempt, Session
from questionbank.models import Question, RubricCriterion, Topic


@pytest.fixture
def topics(db) -> dict[str, Topic]:
    return {
        "attention": Topic.objects.create(
            slug="attention", name_zh="注意力机制", name_en="Attention", order=1
        ),
        "finetuning": Topic.objects.create(slug="finetuning", name_zh="微调", name_en="Fine-tuning", order=2),
    }


@pytest.fixture
def make_question(db) -> Callable[..., Question]:
    def make(
        slug: str,
        *,
        prompt: str = "",
        topics: Sequence[Topic] = (),
        difficulty: str = Question.Difficulty.MEDIUM,
        status: str = Question.Status.PUBLISHED,
        reference_answer: str = "",
    ) -> Question:
        question = Question.objects.create(
            slug=slug,
            prompt=prompt or f"Prompt of {slug}",
            difficulty=difficulty,
            status=status,
            reference_answer=reference_answer or f"Reference answer of {slug}",
        )
        question.topics.set(topics)
        for order, points in enumerate((4, 3, 3)):
            RubricCriterion.objects.create(
                question=question, order=order, description=f"key point {order} of {slug}", points=points
            )
        return question

    return make


@pytest.fixture
def make_answer(db) -> Callable[..., Answer]:
    """An answer by `candidate` to `question` in a fresh practice attempt, with the given status."""

    def make(candidate: User, question: Question, *, status: str = Answer.Status.SUBMITTED) -> Answer:
        now = timezone.now()
        session = Session.objects.create(owner=candidate, title="practice", time_limit_seconds=600)
        attempt = Attempt.objects.create(
            candidate=candidate, session=session, deadline=now + timedelta(minutes=10)
        )
        return Answer.objects.create(
            attempt=attempt,
            question=question,
            position=0,
            text="my answer",
            status=status,
            submitted_at=None if status == Answer.Status.DRAFT else now,
        )

    return make
