"""The score -> rating mapping and FSRS due dates, checked by hand against FSRS-6's formulas."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from progress.scheduling import SCHEDULER, rating_for_percent, schedule_replay

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
W = SCHEDULER.parameters  # FSRS-6 defaults: w0..w3 are the first stabilities of Again, Hard, Good, Easy


@pytest.mark.parametrize(
    ("percent", "rating"),
    [
        (0, Rating.Again),
        (39, Rating.Again),
        (40, Rating.Hard),
        (69, Rating.Hard),
        (70, Rating.Good),
        (89, Rating.Good),
        (90, Rating.Easy),
        (100, Rating.Easy),
    ],
)
def test_a_score_maps_to_a_rating_at_the_documented_bounds(percent, rating):
    assert rating_for_percent(percent) == rating


@pytest.mark.parametrize(
    ("rating", "days"),
    # At 90 % desired retention the interval is the stability in days, rounded, at least one:
    # Again 0.212 -> 1, Hard 1.2931 -> 1, Good 2.3065 -> 2, Easy 8.2956 -> 8.
    [(Rating.Again, 1), (Rating.Hard, 1), (Rating.Good, 2), (Rating.Easy, 8)],
)
def test_a_first_answer_is_due_again_after_its_first_stability(rating, days):
    schedule = schedule_replay([(T0, rating)])

    assert schedule.stability == pytest.approx(W[rating - 1])
    assert schedule.due == T0 + timedelta(days=days)


def _recall_stability(stability: float, difficulty: float, days: float) -> float:
    """FSRS-6 stability after a Good recall `days` after the last review, written out to check the library."""
    decay = -W[20]
    factor = 0.9 ** (1 / decay) - 1
    retrievability = (1 + factor * days / stability) ** decay
    growth = math.exp(W[8]) * (11 - difficulty) * stability ** (-W[9])
    growth *= math.exp(W[10] * (1 - retrievability)) - 1
    return stability * (1 + growth)


def test_two_good_answers_on_their_due_days_give_an_eleven_day_interval():
    first_difficulty = W[4] - math.exp(W[5] * 2) + 1  # D0(Good) = 2.118
    second = T0 + timedelta(days=2)

    schedule = schedule_replay([(T0, Rating.Good), (second, Rating.Good)])

    expected = _recall_stability(W[2], first_difficulty, 2)  # 10.964
    assert schedule.stability == pytest.approx(expected)
    assert round(expected) == 11
    assert schedule.due == second + timedelta(days=11)


def test_a_failed_answer_then_a_good_one_the_next_day_is_due_two_days_later():
    second = T0 + timedelta(days=1)

    schedule = schedule_replay([(T0, Rating.Again), (second, Rating.Good)])

    expected = _recall_stability(W[0], W[4], 1)  # D0(Again) = w4; stability 1.887
    assert schedule.stability == pytest.approx(expected)
    assert schedule.due == second + timedelta(days=2)


def test_reviews_are_replayed_in_time_order_whatever_order_they_come_in():
    reviews = [(T0 + timedelta(days=2), Rating.Good), (T0, Rating.Good)]

    assert schedule_replay(reviews) == schedule_replay(sorted(reviews))
