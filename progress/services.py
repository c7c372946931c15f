"""Writes of spaced review: a graded answer becomes a review of its card, and the card is scheduled again."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from fsrs import Rating

from accounts.models import User
from interviews.models import Attempt, Grade, Session
from interviews.services.practice import MODE_COACHING, PRACTICE_MAX_QUESTIONS, attempt_start_questions
from progress.models import Card, Review
from progress.scheduling import rating_for_percent, schedule_replay
from progress.selectors import cards_due


def card_review_grade(*, grade: Grade) -> Card | None:
    """Record `grade` as the review its answer made and reschedule the card from all its reviews.

    A regrade or an override of an answer changes that review's rating and replays the card, so that the
    schedule is what it would have been had the answer been graded so from the start. A grade that is no
    longer current by now is skipped: the grade that replaced it sends its own signal.
    """
    grade = Grade.objects.select_related("answer__attempt").get(pk=grade.pk)
    if not grade.is_current:
        return None
    answer = grade.answer
    reviewed_at = answer.submitted_at or grade.created_at
    with transaction.atomic():
        card, _created = Card.objects.select_for_update().get_or_create(
            candidate_id=answer.attempt.candidate_id,
            question_id=answer.question_id,
            defaults={"due": reviewed_at},
        )
        Review.objects.update_or_create(
            answer=answer,
            defaults={
                "card": card,
                "grade": grade,
                "rating": rating_for_percent(grade.percent),
                "percent": grade.percent,
                "reviewed_at": reviewed_at,
            },
        )
        reviews = list(card.review_log.order_by("reviewed_at", "answer_id"))
        schedule = schedule_replay((r.reviewed_at, Rating(r.rating)) for r in reviews)
        card.state = schedule.state
        card.step = schedule.step
        card.stability = schedule.stability
        card.difficulty = schedule.difficulty
        card.due = schedule.due
        card.last_review = schedule.last_review
        card.last_percent = reviews[-1].percent
        card.reviews = len(reviews)
        card.save()
    return card


def attempt_start_review(*, candidate: User, now: datetime | None = None) -> Attempt:
    """A timed coaching-mode attempt of the questions due for review, weakest first (at most a practice's
    number of questions); their suggested times make the time limit."""
    due = list(cards_due(candidate=candidate, now=now)[:PRACTICE_MAX_QUESTIONS])
    if not due:
        raise ValidationError(_("Nothing is due for review now."), code="nothing_due")
    return attempt_start_questions(
        candidate=candidate,
        questions=[card.question for card in due],
        practice_kind=Session.PracticeKind.REVIEW,
        mode=MODE_COACHING,
        now=now,
    )
