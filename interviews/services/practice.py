"""Practice sessions a candidate sets up alone: random published questions under a time limit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from interviews.models import Attempt, Session, SessionItem
from interviews.services.attempts import attempt_start
from questionbank.models import Question, Topic
from questionbank.selectors import questions_published_matching

# The limits of a practice: the form and the page read them from here.
PRACTICE_MAX_QUESTIONS = 20
PRACTICE_MAX_MINUTES = 240
TIME_MODE_TOTAL = "total"
TIME_MODE_SUGGESTED = "suggested"


def attempt_start_practice(
    *,
    candidate: User,
    topic_slugs: Sequence[str],
    difficulty: str,
    count: int,
    time_mode: str,
    minutes: int | None,
    now: datetime | None = None,
) -> Attempt:
    """Pick `count` random published questions (no topics / no difficulty = any) and start a timed attempt.

    The time limit is `minutes` in total, or the sum of the questions' suggested times.
    """
    if not 1 <= count <= PRACTICE_MAX_QUESTIONS:
        raise ValidationError(
            _("Choose between 1 and %(max)d questions."), code="count", params={"max": PRACTICE_MAX_QUESTIONS}
        )
    if time_mode == TIME_MODE_TOTAL and (minutes is None or not 1 <= minutes <= PRACTICE_MAX_MINUTES):
        raise ValidationError(
            _("Choose a time limit between 1 and %(max)d minutes."),
            code="minutes",
            params={"max": PRACTICE_MAX_MINUTES},
        )
    if time_mode not in (TIME_MODE_TOTAL, TIME_MODE_SUGGESTED):
        raise ValidationError(_("Choose how the time limit is set."), code="time_mode")
    if difficulty and difficulty not in Question.Difficulty.values:
        raise ValidationError(_("Unknown difficulty."), code="difficulty")

    topics = list(Topic.objects.filter(slug__in=topic_slugs))
    if len(topics) != len(set(topic_slugs)):
        raise ValidationError(_("Unknown topic."), code="topic")

    questions = questions_published_matching(topic_slugs=topic_slugs, difficulty=difficulty)
    chosen = list(questions.order_by("?")[:count])
    if not chosen:
        raise ValidationError(
            _("No published question matches this choice. Pick more topics or another difficulty."),
            code="no_match",
        )
    if len(chosen) < count:
        raise ValidationError(
            ngettext(
                "Only %(available)d published question matches this choice: ask for fewer questions, "
                "or pick more topics or another difficulty.",
                "Only %(available)d published questions match this choice: ask for fewer questions, "
                "or pick more topics or another difficulty.",
                len(chosen),
            ),
            code="too_few",
            params={"available": len(chosen)},
        )

    if time_mode == TIME_MODE_TOTAL:
        assert minutes is not None
        limit = minutes * 60
    else:
        limit = sum(q.suggested_seconds for q in chosen)
    label = ", ".join(t.name for t in topics) if topics else _("random mix")
    with transaction.atomic():
        session = Session.objects.create(
            owner=candidate,
            kind=Session.Kind.PRACTICE,
            title=f"{_('Practice')}: {label}"[:200],
            time_limit_seconds=limit,
        )
        SessionItem.objects.bulk_create(
            SessionItem(session=session, question=q, order=i) for i, q in enumerate(chosen, start=1)
        )
        return attempt_start(candidate=candidate, session=session, now=now)
