"""Timed attempts: start, autosave, submit, finish. The server owns time; every write is guarded by status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from interviews.models import Answer, Attempt, Session, SessionItem
from interviews.selectors import questions_published_matching
from interviews.services.grading import grading_enqueue
from questionbank.models import Question, Topic

PRACTICE_MAX_QUESTIONS = 20
PRACTICE_MAX_MINUTES = 240
TIME_MODE_TOTAL = "total"
TIME_MODE_SUGGESTED = "suggested"

# ValidationError codes, so that views can answer with the right status.
TOO_LONG = "too_long"
LATE = "late"
LOCKED = "locked"

_ALREADY_SUBMITTED = gettext_lazy("This answer was already submitted; it can no longer be changed.")


def attempt_start_practice(
    *,
    candidate: AbstractBaseUser,
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


def attempt_start(*, candidate: AbstractBaseUser, session: Session, now: datetime | None = None) -> Attempt:
    """Start an attempt at a session: the deadline is fixed now; one draft Answer per item is the snapshot."""
    now = now or timezone.now()
    items = list(session.items.order_by("order"))
    if not items:
        raise ValidationError(_("This session has no questions."), code="empty")
    with transaction.atomic():
        attempt = Attempt.objects.create(
            candidate=candidate,
            session=session,
            started_at=now,
            deadline=now + timedelta(seconds=session.time_limit_seconds),
        )
        Answer.objects.bulk_create(
            Answer(attempt=attempt, question_id=item.question_id, position=position)
            for position, item in enumerate(items, start=1)
        )
    return attempt


def answer_save_draft(
    *, answer: Answer, text: str, now: datetime | None = None, seconds_spent: int | None = None
) -> Answer:
    """Save the draft text; refused when too long, after the deadline plus grace, or once submitted."""
    now = now or timezone.now()
    text = _storable(text)
    attempt = answer.attempt
    _check_writable(answer=answer, text=text, now=now)
    changes: dict[str, object] = {"text": text, "saved_at": now}
    if seconds_spent is not None:
        # The browser counts time per question; never more than the attempt has lasted, never backwards.
        elapsed = max(0, int((now - attempt.started_at).total_seconds()))
        spent = min(max(0, seconds_spent), elapsed)
        changes["seconds_spent"] = Greatest(F("seconds_spent"), Value(spent))
        answer.seconds_spent = max(answer.seconds_spent, spent)
    updated = _drafts(answer).update(**changes)
    if updated != 1:
        raise ValidationError(_ALREADY_SUBMITTED, code=LOCKED)
    answer.text, answer.saved_at = text, now
    return answer


def answer_submit(*, answer: Answer, text: str | None = None, now: datetime | None = None) -> bool:
    """Lock the answer (with `text`, or its saved draft) and queue its grading.

    Returns False when it was already submitted: a double click or a second request submits nothing twice.
    Submitting the last open answer finishes the attempt.
    """
    now = now or timezone.now()
    attempt = answer.attempt
    if not answer.is_draft:
        return False
    if text is not None:
        text = _storable(text)
    _check_writable(answer=answer, text=text, now=now)
    changes: dict[str, object] = {"status": Answer.Status.SUBMITTED, "submitted_at": now}
    if text is not None:
        changes.update(text=text, saved_at=now)
    with transaction.atomic():
        updated = _drafts(answer).update(**changes)
        if updated != 1:
            return False
        grading_enqueue(answer_ids=[answer.pk])
        if not Answer.objects.filter(attempt=attempt, status=Answer.Status.DRAFT).exists():
            attempt_finish(attempt=attempt, now=now)
    answer.refresh_from_db(fields=["text", "status", "saved_at", "submitted_at"])
    return True


def attempt_finish(*, attempt: Attempt, now: datetime | None = None) -> bool:
    """Submit every draft as last saved and close the attempt; idempotent (False if already finished)."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(
            status=Attempt.Status.SUBMITTED, finished_at=now
        )
        if not claimed:
            attempt.refresh_from_db(fields=["status", "finished_at"])
            return False
        # Locking the drafts makes a concurrent answer_submit either finish first (and drop out of this list)
        # or find its answer submitted here, so that no answer is enqueued twice.
        draft_ids = list(
            Answer.objects.select_for_update()
            .filter(attempt_id=attempt.pk, status=Answer.Status.DRAFT)
            .values_list("pk", flat=True)
        )
        Answer.objects.filter(pk__in=draft_ids).update(status=Answer.Status.SUBMITTED, submitted_at=now)
        if draft_ids:
            grading_enqueue(answer_ids=draft_ids)
    attempt.status = Attempt.Status.SUBMITTED
    attempt.finished_at = now
    return True


def attempts_finish_overdue(*, now: datetime | None = None) -> int:
    """The sweep: finish attempts left open past their deadline plus grace (a closed tab, a lost network)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.DEADLINE_GRACE_SECONDS)
    overdue = Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, deadline__lt=cutoff)
    return sum(attempt_finish(attempt=attempt, now=now) for attempt in overdue.iterator())


def _drafts(answer: Answer) -> QuerySet[Answer]:
    """The answer, if still a draft: the guard of every write, so that a save racing a submit or a finish
    never overwrites a submitted answer.

    Only the row's own columns: PostgreSQL re-checks those on the committed row when it waits for a concurrent
    writer, whereas a filter through a join runs as a subquery on the old snapshot. Finishing an attempt
    submits all its drafts, so a draft always belongs to an open attempt.
    """
    return Answer.objects.filter(pk=answer.pk, status=Answer.Status.DRAFT)


def _storable(text: str) -> str:
    """The text as it can be stored: PostgreSQL refuses NUL characters, which carry nothing in an answer."""
    return text.replace("\x00", "")


def _check_writable(*, answer: Answer, text: str | None, now: datetime) -> None:
    attempt = answer.attempt
    if text is not None and len(text) > settings.ANSWER_MAX_CHARS:
        raise ValidationError(
            _(
                "Your answer has %(length)d characters; the limit is %(max)d. Shorten it: "
                "nothing was saved, and your text is still in the box."
            ),
            code=TOO_LONG,
            params={"length": len(text), "max": settings.ANSWER_MAX_CHARS},
        )
    if attempt.is_overdue(now, grace_seconds=settings.DEADLINE_GRACE_SECONDS):
        params = {"deadline": _clock(attempt.deadline)}
        if answer.saved_at:
            message = _(
                "Time is up (the deadline was %(deadline)s): this change was not saved. "
                "Your draft saved at %(saved)s is what will be submitted."
            )
            params["saved"] = _clock(answer.saved_at)
        else:
            message = _(
                "Time is up (the deadline was %(deadline)s): this change was not saved, "
                "and this question had no saved draft."
            )
        raise ValidationError(message, code=LATE, params=params)
    if not attempt.is_open:
        raise ValidationError(_("This interview is finished; answers can no longer be changed."), code=LOCKED)
    if not answer.is_draft:
        raise ValidationError(_ALREADY_SUBMITTED, code=LOCKED)


def _clock(moment: datetime) -> str:
    return time_format(timezone.localtime(moment), "H:i:s")
