"""Rows for grading tests: bank questions in the database and submitted attempts."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from interviews.models import Answer, Attempt, Session
from questionbank.bank_files import QuestionSpec
from questionbank.models import Question, RubricCriterion


def question_from_spec(spec: QuestionSpec) -> Question:
    question = Question.objects.create(
        slug=spec.slug,
        prompt=spec.prompt,
        reference_answer=spec.reference_answer,
        language=spec.language,
        difficulty=spec.difficulty,
        suggested_seconds=spec.suggested_seconds,
    )
    for order, criterion in enumerate(spec.rubric):
        RubricCriterion.objects.create(
            question=question,
            order=order,
            description=criterion.description,
            points=criterion.points,
            terms=criterion.terms,
        )
    return question


def submitted_attempt(candidate: User, answers: list[tuple[Question, str]]) -> Attempt:
    """A finished attempt whose answers are all submitted and waiting for grades."""
    now = timezone.now()
    session = Session.objects.create(owner=candidate, title="grading", time_limit_seconds=600)
    attempt = Attempt.objects.create(
        candidate=candidate,
        session=session,
        started_at=now - timedelta(minutes=5),
        deadline=now + timedelta(minutes=5),
        status=Attempt.Status.SUBMITTED,
        finished_at=now,
    )
    for position, (question, text) in enumerate(answers):
        Answer.objects.create(
            attempt=attempt,
            question=question,
            position=position,
            text=text,
            status=Answer.Status.SUBMITTED,
            submitted_at=now,
            saved_at=now,
        )
    return attempt
