"""Spaced review with FSRS: a grade's score becomes a rating, and a card's reviews replay into its schedule.

Pure functions over the `fsrs` package (no ORM): the schedule of any sequence of grades can be computed
and checked by hand.

The score -> rating mapping (percentage of the question's points in the answer's current grade):

| score        | rating | meaning for the schedule                         |
|--------------|--------|--------------------------------------------------|
| under 40 %   | Again  | not known: due again the next day                |
| 40 % – 69 %  | Hard   | partly known: a short interval                   |
| 70 % – 89 %  | Good   | known: the interval grows                        |
| 90 % and up  | Easy   | known well: the interval grows the most          |

An interview answer is not a flash card seen for seconds: no learning steps of minutes, every review schedules
in days, and no fuzzing, so that the same grades always give the same dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from fsrs import Card, Rating, Scheduler, State

AGAIN_BELOW = 40
HARD_BELOW = 70
GOOD_BELOW = 90

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def rating_for_percent(percent: int) -> Rating:
    """The FSRS rating of an answer that earned `percent` of the question's points (table above)."""
    if percent < AGAIN_BELOW:
        return Rating.Again
    if percent < HARD_BELOW:
        return Rating.Hard
    if percent < GOOD_BELOW:
        return Rating.Good
    return Rating.Easy


@dataclass(frozen=True)
class Schedule:
    state: State
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


def schedule_replay(reviews: Iterable[tuple[datetime, Rating]]) -> Schedule:
    """The card after these reviews, in time order, from a new card (a changed rating replays the rest)."""
    card = Card(card_id=1)
    first = True
    for when, rating in sorted(reviews, key=lambda review: review[0]):
        if first:
            card.due = when  # a new card is due the moment its question is first answered
            first = False
        card, _log = SCHEDULER.review_card(card, rating, review_datetime=when)
    if first:
        raise ValueError("A schedule needs at least one review.")
    return Schedule(
        state=card.state,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )
