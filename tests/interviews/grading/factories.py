"""Rows for grading tests, made with the app factories: bank questions in the database, submitted attempts,
and the judge's input for an answer through the one builder the grading service uses."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from interviews.grading.types import JudgeInput
from interviews.models import Answer, Attempt
from interviews.services.judges import judge_input_for_question
from questionbank.bank_files import QuestionSpec
from questionbank.models import Question
from tests.interviews.factories import AnswerFactory, AttemptFactory
from tests.questionbank.factories import QuestionFactory


def question_from_spec(spec: QuestionSpec) -> Question:
    """The bank file's question as a row: fields, rubric and misconceptions (no topics)."""
    return QuestionFactory(
        slug=spec.slug,
        prompt=spec.prompt,
        reference_answer=spec.reference_answer,
        language=spec.language,
        difficulty=spec.difficulty,
        suggested_seconds=spec.suggested_seconds,
        rubric=[criterion.model_dump() for criterion in spec.rubric],
        misconceptions=[misconception.model_dump() for misconception in spec.misconceptions],
    )


def submitted_attempt(candidate: User, answers: list[tuple[Question, str]]) -> Attempt:
    """A finished attempt whose answers are all submitted and waiting for grades."""
    now = timezone.now()
    attempt = AttemptFactory(
        candidate=candidate,
        session__title="grading",
        started_at=now - timedelta(minutes=5),
        deadline=now + timedelta(minutes=5),
        finished=True,
        finished_at=now,
    )
    for position, (question, text) in enumerate(answers):
        AnswerFactory(
            attempt=attempt,
            question=question,
            position=position,
            text=text,
            status=Answer.Status.SUBMITTED,
            submitted_at=now,
        )
    return attempt


def judge_input_for(answer: Answer, text: str | None = None) -> JudgeInput:
    """What the grading service gives the judge for this answer (or for `text` in its place)."""
    question = answer.question
    return judge_input_for_question(
        question=question,
        criteria=list(question.rubric.all()),
        misconceptions=list(question.misconceptions.all()),
        answer_text=answer.text if text is None else text,
    )
