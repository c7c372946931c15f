"""The database itself refuses bank rows that break the model's rules."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from tests.questionbank.factories import MisconceptionFactory, QuestionFactory, RubricCriterionFactory


def test_a_rubric_point_worth_zero_is_refused(db) -> None:
    question = QuestionFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        RubricCriterionFactory(question=question, points=0)


def test_two_rubric_points_in_the_same_place_are_refused(db) -> None:
    question = QuestionFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        RubricCriterionFactory(question=question, order=0)


def test_two_misconceptions_in_the_same_place_are_refused(db) -> None:
    first = MisconceptionFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MisconceptionFactory(question=first.question, order=first.order)


def test_a_question_with_an_empty_prompt_is_refused(db) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionFactory(prompt="")
