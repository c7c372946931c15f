"""Timed attempts: start, autosave, submit, finish. The server owns time; every write is guarded by status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from interviews.clock import clock_time
from interviews.models import Answer, Attempt, Session, SessionItem
from interviews.services.grading import grading_enqueue
from interviews.services.quotas import quota_check_attempt_start
from questionbank.selectors import questions_published_matching

# ValidationError codes, so that views can answer with the right status.
TOO_LONG = "too_long"
LATE = "late"
LOCKED = "locked"
CHANGED_ELSEWHERE = "changed_elsewhere"

_ALREADY_SUBMITTED = gettext_lazy("This answer was already submitted; it can no longer be changed.")
_CHANGED_ELSEWHERE = gettext_lazy(
    "Not saved: this answer was saved from another tab or window since this page was opened. What you typed "
    "here is kept in this browser; reload the page to see the saved answer and choose."
)


def attempt_start(*, candidate: User, session: Session, now: datetime | None = None) -> Attempt:
    """Start an attempt at a session: the deadline is fixed now; one draft Answer per item is the snapshot."""
    now = now or timezone.now()
    items = list(session.items.select_related("topic").order_by("order"))
    if not items:
        raise ValidationError(_("This session has no questions."), code="empty")
    quota_check_attempt_start(candidate=candidate, now=now)
    drawn = _items_drawn(items)
    with transaction.atomic():
        attempt = Attempt.objects.create(
            candidate=candidate,
            session=session,
            started_at=now,
            deadline=now + timedelta(seconds=session.time_limit_seconds),
        )
        Answer.objects.bulk_create(
            Answer(attempt=attempt, question_id=question_id, item=item, position=position)
            for position, (item, question_id) in enumerate(drawn, start=1)
        )
    return attempt


def _items_drawn(items: list[SessionItem]) -> list[tuple[SessionItem, int]]:
    """Each item's question, and for a random item `count` published questions drawn now, for this candidate:
    never one the session already asks or has drawn."""
    taken = {item.question_id for item in items if item.question_id is not None}
    drawn: list[tuple[SessionItem, int]] = []
    for item in items:
        if item.question_id is not None:
            drawn.append((item, item.question_id))
            continue
        pool = questions_published_matching(
            topic_slugs=[item.topic.slug] if item.topic else [], difficulty=item.difficulty
        ).exclude(pk__in=taken)
        chosen = list(pool.order_by("?").values_list("pk", flat=True)[: item.count])
        if len(chosen) < item.count:
            raise ValidationError(
                _("This session cannot start: too few published questions for one of its random items."),
                code="too_few",
            )
        taken.update(chosen)
        drawn.extend((item, pk) for pk in chosen)
    return drawn


def answer_save_draft(
    *,
    answer: Answer,
    text: str,
    now: datetime | None = None,
    seconds_spent: int | None = None,
    saved_version: int | None = None,
) -> Answer:
    """Save the draft text; refused when too long, after the deadline plus grace, or once submitted.

    `saved_version` is the save the page last knew of (`saved_at` in epoch milliseconds, 0 for none): when the
    answer was saved since, from another tab or device, this text would silently replace that one, so it is
    refused (CHANGED_ELSEWHERE) and the page keeps it.
    """
    now = now or timezone.now()
    text = _storable(text)
    _check_writable(answer=answer, text=text, now=now)
    changes: dict[str, object] = {"text": text, "saved_at": now, **_time_spent(answer, seconds_spent, now)}
    drafts = _drafts(answer)
    if saved_version is not None:
        # Unless the save it missed holds this very text: the page's own beacon, sent as it was reloaded, can
        # arrive after the reopened page was served.
        drafts = drafts.filter(_saved_version_is(saved_version) | Q(text=text))
    if drafts.update(**changes) != 1:
        if saved_version is not None and _drafts(answer).exists():
            raise ValidationError(_CHANGED_ELSEWHERE, code=CHANGED_ELSEWHERE)
        raise ValidationError(_ALREADY_SUBMITTED, code=LOCKED)
    answer.text, answer.saved_at = text, now
    return answer


def _saved_version_is(version: int) -> Q:
    """Saved at that millisecond (`saved_at` keeps microseconds), or never saved for 0."""
    if not version:
        return Q(saved_at__isnull=True)
    moment = datetime.fromtimestamp(version / 1000, tz=UTC)
    return Q(saved_at__gte=moment, saved_at__lt=moment + timedelta(milliseconds=1))


def answer_submit(
    *, answer: Answer, text: str | None = None, now: datetime | None = None, seconds_spent: int | None = None
) -> bool:
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
    changes: dict[str, object] = {
        "status": Answer.Status.SUBMITTED,
        "submitted_at": now,
        **_time_spent(answer, seconds_spent, now),
    }
    if text is not None:
        changes.update(text=text, saved_at=now)
    with transaction.atomic():
        updated = _drafts(answer).update(**changes)
        if updated != 1:
            return False
        grading_enqueue(answer_ids=[answer.pk])
        if not Answer.objects.filter(attempt=attempt, status=Answer.Status.DRAFT).exists():
            attempt_finish(attempt=attempt, now=now)
    answer.status, answer.submitted_at = Answer.Status.SUBMITTED, now
    if text is not None:
        answer.text, answer.saved_at = text, now
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


def attempt_finish_if_overdue(*, attempt: Attempt, now: datetime | None = None) -> bool:
    """Finish an open attempt whose time (plus grace) is up, without waiting for the sweep.

    True when this call finished it; afterwards `attempt.is_open` says whether it is still running.
    """
    if not attempt.is_open or not attempt.is_overdue(now, grace_seconds=settings.DEADLINE_GRACE_SECONDS):
        return False
    return attempt_finish(attempt=attempt, now=now)


@dataclass(frozen=True)
class FinishOutcome:
    finished: bool  # this call finished the attempt (False: it was already finished)
    warning: str = ""  # the open question's text could not be saved first, and why


def attempt_finish_with_text(
    *,
    attempt: Attempt,
    answer: Answer | None,
    text: str | None,
    now: datetime | None = None,
    seconds_spent: int | None = None,
) -> FinishOutcome:
    """Finish from the answer form: the open question's text is saved first, so that nothing typed is lost.

    A text too long to save while time is left refuses the whole finish (ValidationError TOO_LONG), so the
    candidate can shorten it; a save refused for lateness only warns, and the last saved draft counts.
    """
    now = now or timezone.now()
    warning = ""
    was_open = attempt.is_open
    if attempt.is_open and answer is not None and text is not None:
        try:
            answer_save_draft(answer=answer, text=text, now=now, seconds_spent=seconds_spent)
        except ValidationError as exc:
            if exc.code == TOO_LONG and attempt.seconds_left(now) > 0:
                raise
            if exc.code != LOCKED:
                warning = exc.messages[0]
    # A save refused for lateness already finished the attempt: that is this call's finish too.
    attempt_finish(attempt=attempt, now=now)
    return FinishOutcome(finished=was_open and not attempt.is_open, warning=warning)


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


def _time_spent(answer: Answer, seconds_spent: int | None, now: datetime) -> dict[str, object]:
    """The update of the time the browser counted on this question (sent with each save, submit and finish,
    so that the time up to the last click counts): never more than the attempt has lasted, never backwards."""
    if seconds_spent is None:
        return {}
    elapsed = max(0, int((now - answer.attempt.started_at).total_seconds()))
    spent = min(max(0, seconds_spent), elapsed)
    answer.seconds_spent = max(answer.seconds_spent, spent)
    return {"seconds_spent": Greatest(F("seconds_spent"), Value(spent))}


def _storable(text: str) -> str:
    """The text as it is stored and counted: line breaks as "\n" (a form post sends "\r\n", which the page
    counted as one character), and no NUL characters (PostgreSQL refuses them; they carry nothing)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def answer_length(text: str) -> int:
    """The one length rule, in the page too (static/js/interview.js): code points of the normalised text."""
    return len(_storable(text))


def _check_writable(*, answer: Answer, text: str | None, now: datetime) -> None:
    attempt = answer.attempt
    if text is not None and answer_length(text) > settings.ANSWER_MAX_CHARS:
        raise ValidationError(
            _(
                "Your answer has %(length)d characters; the limit is %(max)d. Shorten it: "
                "nothing was saved, and your text is still in the box."
            ),
            code=TOO_LONG,
            params={"length": answer_length(text), "max": settings.ANSWER_MAX_CHARS},
        )
    if attempt.is_overdue(now, grace_seconds=settings.DEADLINE_GRACE_SECONDS):
        params = {"deadline": clock_time(attempt.deadline)}
        if answer.saved_at:
            message = _(
                "Time is up (the deadline was %(deadline)s): this change was not saved. "
                "Your draft saved at %(saved)s is what will be submitted."
            )
            params["saved"] = clock_time(answer.saved_at)
        else:
            message = _(
                "Time is up (the deadline was %(deadline)s): this change was not saved, "
                "and this question had no saved draft."
            )
        # Past the deadline nothing more can be written: the attempt ends here rather than at the next sweep.
        attempt_finish(attempt=attempt, now=now)
        raise ValidationError(message, code=LATE, params=params)
    if not attempt.is_open:
        raise ValidationError(_("This interview is finished; answers can no longer be changed."), code=LOCKED)
    if not answer.is_draft:
        raise ValidationError(_ALREADY_SUBMITTED, code=LOCKED)
