"""An interviewer builds a session: fixed or random questions, their order and time, the invite link."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from accounts.models import User
from interviews.models import Session, SessionItem, new_invite_token
from questionbank.models import Question, Topic

DEFAULT_TIME_LIMIT_SECONDS = 30 * 60
MAX_ITEMS = 30
MAX_RANDOM_COUNT = 10


def session_create(*, owner: User, title: str = "") -> Session:
    return Session.objects.create(
        owner=owner,
        kind=Session.Kind.INTERVIEW,
        title=title or _("New interview"),
        time_limit_seconds=DEFAULT_TIME_LIMIT_SECONDS,
        is_open=False,
    )


def session_duplicate(*, session: Session, owner: User) -> Session:
    """A copy with the same questions and settings, a new invite link, closed, and no attempts."""
    with transaction.atomic():
        copy = Session.objects.create(
            owner=owner,
            kind=Session.Kind.INTERVIEW,
            title=(_("Copy of %(title)s") % {"title": session.title})[:200],
            time_limit_seconds=session.time_limit_seconds,
            review_feedback=session.review_feedback,
            review_reference=session.review_reference,
            is_open=False,
            opens_at=session.opens_at,
            closes_at=session.closes_at,
            attempts_allowed=session.attempts_allowed,
        )
        SessionItem.objects.bulk_create(
            SessionItem(
                session=copy,
                question_id=item.question_id,
                order=item.order,
                time_seconds=item.time_seconds,
                topic_id=item.topic_id,
                difficulty=item.difficulty,
                count=item.count,
            )
            for item in session.items.all()
        )
    return copy


def session_item_add(*, session: Session, question: Question) -> SessionItem:
    with transaction.atomic():
        _lock(session)
        if session.items.filter(question=question).exists():
            raise ValidationError(_("This question is already in the session."), code="duplicate")
        return SessionItem.objects.create(
            session=session,
            question=question,
            order=_next_order(session),
            time_seconds=question.suggested_seconds,
        )


def session_item_add_random(
    *, session: Session, topic: Topic | None, difficulty: str, count: int, time_seconds: int | None = None
) -> SessionItem:
    """A random item: `count` published questions drawn per candidate when their attempt starts."""
    if not 1 <= count <= MAX_RANDOM_COUNT:
        raise ValidationError(
            _("Draw between 1 and %(max)d questions."), code="count", params={"max": MAX_RANDOM_COUNT}
        )
    if difficulty and difficulty not in Question.Difficulty.values:
        raise ValidationError(_("Unknown difficulty."), code="difficulty")
    with transaction.atomic():
        _lock(session)
        return SessionItem.objects.create(
            session=session,
            order=_next_order(session),
            topic=topic,
            difficulty=difficulty,
            count=count,
            time_seconds=time_seconds,
        )


def session_item_remove(*, item: SessionItem) -> None:
    with transaction.atomic():
        session = _lock(item.session)
        order = item.order
        item.delete()
        # Shift the later items up, one at a time from the top, so the unique order never collides.
        for later in session.items.filter(order__gt=order).order_by("order"):
            SessionItem.objects.filter(pk=later.pk).update(order=F("order") - 1)


def session_item_move(*, item: SessionItem, up: bool) -> None:
    """Swap the item with its neighbour above (`up`) or below; at either end nothing moves."""
    with transaction.atomic():
        session = _lock(item.session)
        neighbours = (
            session.items.filter(order__lt=item.order) if up else session.items.filter(order__gt=item.order)
        )
        other = neighbours.order_by("-order" if up else "order").first()
        if other is None:
            return
        mine, theirs = item.order, other.order
        # Through a free order number: (session, order) is unique at every step.
        parked = (session.items.aggregate(top=Max("order"))["top"] or 0) + 1
        SessionItem.objects.filter(pk=item.pk).update(order=parked)
        SessionItem.objects.filter(pk=other.pk).update(order=mine)
        SessionItem.objects.filter(pk=item.pk).update(order=theirs)


def session_item_set_time(*, item: SessionItem, minutes: int | None) -> None:
    if minutes is not None and not 1 <= minutes <= 240:
        raise ValidationError(_("Give each question between 1 and 240 minutes."), code="minutes")
    with transaction.atomic():
        _lock(item.session)
        item.time_seconds = minutes * 60 if minutes else None
        item.save(update_fields=["time_seconds"])


def session_invite_regenerate(*, session: Session) -> Session:
    """A new invite link; the old one stops working at once."""
    session.invite_token = new_invite_token()
    session.save(update_fields=["invite_token"])
    return session


def _lock(session: Session) -> Session:
    """Builder edits of one session run one at a time, so that order numbers stay unique and dense; and only
    until a candidate starts it: its results line answers up with the questions by their order."""
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.attempts.exists():
        raise ValidationError(
            _(
                "Candidates have started this session, so its questions can no longer change. "
                "Duplicate it to change them."
            ),
            code="taken",
        )
    return locked


def _next_order(session: Session) -> int:
    if session.items.count() >= MAX_ITEMS:
        raise ValidationError(
            _("A session holds at most %(max)d items."), code="full", params={"max": MAX_ITEMS}
        )
    return (session.items.aggregate(top=Max("order"))["top"] or 0) + 1
