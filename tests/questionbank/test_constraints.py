"""The database itself refuses rows that break the model's rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from interviews.models import Answer, Grade
from questionbank.models import RubricCriterion


def _grade(answer: Answer, *, score: str = "5", max_score: str = "10", is_current: bool = True) -> Grade:
    return Grade.objects.create(
        answer=answer,
        is_current=is_current,
        judge=Grade.Judge.OFFLINE,
        answer_hash="a",
        rubric_hash="r",
        score=Decimal(score),
        max_score=Decimal(max_score),
    )


def test_a_rubric_point_worth_zero_is_refused(make_question) -> None:
    question = make_question("q")

    with pytest.raises(IntegrityError), transaction.atomic():
        RubricCriterion.objects.create(question=question, order=9, description="free point", points=0)


def test_a_second_answer_to_the_same_question_in_one_attempt_is_refused(
    make_question, make_answer, candidate
):
    answer = make_answer(candidate, make_question("q"))

    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(attempt=answer.attempt, question=answer.question, position=1)


def test_a_second_current_grade_for_one_answer_is_refused(make_question, make_answer, candidate) -> None:
    answer = make_answer(candidate, make_question("q"))
    _grade(answer)
    _grade(answer, is_current=False)

    with pytest.raises(IntegrityError), transaction.atomic():
        _grade(answer)


def test_a_score_above_the_maximum_is_refused(make_question, make_answer, candidate) -> None:
    answer = make_answer(candidate, make_question("q"))

    with pytest.raises(IntegrityError), transaction.atomic():
        _grade(answer, score="10.5", max_score="10")
