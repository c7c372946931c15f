"""Cards move with each grade that becomes current (the signal); "Review due" starts the due questions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from interviews.models import Answer, Attempt, Grade, ReviewTiming, Session
from interviews.services.grading import grade_current_announce
from progress.models import Card
from progress.services import attempt_start_review, card_review_grade
from tests.interviews.factories import AnswerFactory, AttemptFactory, GradeFactory
from tests.questionbank.factories import QuestionFactory

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def announce(django_capture_on_commit_callbacks):
    """Make `grade` current the way the grading service does and run the after-commit signal."""

    def make_current(answer: Answer, score: str, **fields: object) -> Grade:
        Grade.objects.filter(answer=answer, is_current=True).update(is_current=False)
        with django_capture_on_commit_callbacks(execute=True):
            grade = GradeFactory(answer=answer, score=Decimal(score), max_score=Decimal("10"), **fields)
            grade_current_announce(grade)
        return grade

    return make_current


def graded_answer(candidate, question, when: datetime) -> Answer:
    attempt = AttemptFactory(candidate=candidate, finished=True, started_at=when)
    return AnswerFactory(attempt=attempt, question=question, status=Answer.Status.GRADED, submitted_at=when)


def test_a_graded_answer_creates_the_card_scheduled_from_its_rating(candidate, announce):
    question = QuestionFactory()
    announce(graded_answer(candidate, question, T0), "8")  # 80 % -> Good -> 2 days

    card = Card.objects.get(candidate=candidate, question=question)
    assert card.due == T0 + timedelta(days=2)
    assert (card.reviews, card.last_percent) == (1, 80)


def test_a_sequence_of_grades_moves_the_due_date(candidate, announce):
    question = QuestionFactory()
    announce(graded_answer(candidate, question, T0), "8")
    announce(graded_answer(candidate, question, T0 + timedelta(days=2)), "7")  # Good, Good -> 11 days

    card = Card.objects.get(candidate=candidate, question=question)
    assert card.reviews == 2
    assert card.due == T0 + timedelta(days=2 + 11)


def test_an_override_of_an_answer_replays_its_card(candidate, interviewer, announce):
    question = QuestionFactory()
    answer = graded_answer(candidate, question, T0)
    announce(answer, "9.5")  # Easy -> 8 days
    before = Card.objects.get(candidate=candidate).due

    announce(answer, "2", judge=Grade.Judge.HUMAN, graded_by=interviewer, comment="wrong formula")  # Again

    card = Card.objects.get(candidate=candidate)
    assert before == T0 + timedelta(days=8)
    assert card.due == T0 + timedelta(days=1)
    assert (card.reviews, card.last_percent) == (1, 20)  # the same review, rated anew


def test_a_grade_no_longer_current_when_the_signal_arrives_changes_nothing(candidate, announce):
    answer = graded_answer(candidate, QuestionFactory(), T0)
    grade = announce(answer, "8")
    Grade.objects.filter(pk=grade.pk).update(is_current=False)
    stale = Grade.objects.get(pk=grade.pk)

    assert card_review_grade(grade=stale) is None


def test_review_due_starts_the_due_questions_weakest_first(candidate, other_candidate, announce):
    weak, strong, later = QuestionFactory(), QuestionFactory(), QuestionFactory()
    announce(graded_answer(candidate, strong, T0), "6")
    announce(graded_answer(candidate, weak, T0), "1")
    announce(graded_answer(candidate, later, T0), "10")  # due in 8 days
    announce(graded_answer(other_candidate, later, T0), "0")  # someone else's card

    attempt = attempt_start_review(candidate=candidate, now=T0 + timedelta(days=2))

    asked = list(attempt.answers.order_by("position").values_list("question_id", flat=True))
    assert asked == [weak.pk, strong.pk]
    assert attempt.session.practice_kind == Session.PracticeKind.REVIEW
    assert attempt.session.review_feedback == ReviewTiming.AFTER_ANSWER


def test_review_due_with_nothing_due_says_so(client, candidate):
    client.force_login(candidate)

    response = client.post(reverse("review_start"), follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert "Nothing is due for review now." in response.content.decode()
    assert not Attempt.objects.exists()
