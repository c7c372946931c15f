"""Writes of spaced review: a graded answer becomes a review of its card, and the card is scheduled again."""

from __future__ import annotations

from django.db import transaction
from fsrs import Rating

from interviews.models import Grade
from progress.models import Card, Review
from progress.scheduling import rating_for_percent, schedule_replay


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
