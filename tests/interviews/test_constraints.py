"""The database itself refuses interview rows that break the model's rules."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from interviews.models import Answer
from tests.interviews.factories import AnswerFactory, GradeFactory


def test_a_second_answer_to_the_same_question_in_one_attempt_is_refused(db) -> None:
    answer = AnswerFactory(status=Answer.Status.SUBMITTED)

    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerFactory(attempt=answer.attempt, question=answer.question)


def test_a_second_current_grade_for_one_answer_is_refused(db) -> None:
    grade = GradeFactory()
    GradeFactory(answer=grade.answer, is_current=False)

    with pytest.raises(IntegrityError), transaction.atomic():
        GradeFactory(answer=grade.answer)


def test_a_score_above_the_maximum_is_refused(db) -> None:
    answer = AnswerFactory(status=Answer.Status.SUBMITTED)

    with pytest.raises(IntegrityError), transaction.atomic():
        GradeFactory(answer=answer, score="10.5", max_score="10")


def test_a_submitted_answer_without_its_submission_time_is_refused(db) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerFactory(status=Answer.Status.SUBMITTED, submitted_at=None)
