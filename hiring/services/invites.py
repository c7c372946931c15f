"""A candidate opens an invite link: may they start now, and starting (the same timed attempt as practice)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from interviews.models import Attempt, Session
from interviews.services.attempts import attempt_start


@dataclass(frozen=True)
class InviteState:
    session: Session
    attempts_used: int
    running: Attempt | None  # an attempt of this candidate still in progress: continue it
    refusal: str  # why a new attempt cannot start now ("" = it can)

    @property
    def attempts_left(self) -> int:
        return max(0, self.session.attempts_allowed - self.attempts_used)


def session_get_by_invite(*, token: str) -> Session:
    """The interview session behind a token; an unknown or regenerated token is a 404."""
    return get_object_or_404(Session, invite_token=token, kind=Session.Kind.INTERVIEW)


def invite_state(*, session: Session, candidate: User, now: datetime | None = None) -> InviteState:
    now = now or timezone.now()
    attempts = list(Attempt.objects.filter(session=session, candidate=candidate))
    running = next((a for a in attempts if a.is_open), None)
    return InviteState(
        session=session,
        attempts_used=len(attempts),
        running=running,
        refusal=_refusal(session=session, attempts_used=len(attempts), now=now),
    )


def invite_attempt_start(*, session: Session, candidate: User, now: datetime | None = None) -> Attempt:
    """Start an attempt if the session is open now and they have attempts left; else ValidationError."""
    now = now or timezone.now()
    with transaction.atomic():
        # One start at a time per session, so that two clicks cannot both take the last attempt.
        session = Session.objects.select_for_update().get(pk=session.pk)
        running = Attempt.objects.filter(
            session=session, candidate=candidate, status=Attempt.Status.IN_PROGRESS
        )
        if (attempt := running.first()) is not None:
            return attempt
        used = Attempt.objects.filter(session=session, candidate=candidate).count()
        if refusal := _refusal(session=session, attempts_used=used, now=now):
            raise ValidationError(refusal, code="refused")
        return attempt_start(candidate=candidate, session=session, now=now)


def _refusal(*, session: Session, attempts_used: int, now: datetime) -> str:
    state = session.invite_state(now)
    if state == "closed":
        return _(
            "This interview is closed. Ask the interviewer for a new link if you think this is a mistake."
        )
    if state == "not_yet" and session.opens_at:
        return _("This interview is not open yet: it opens on %(when)s.") % {"when": _when(session.opens_at)}
    if state == "expired" and session.closes_at:
        return _("This interview link has expired: it closed on %(when)s.") % {
            "when": _when(session.closes_at)
        }
    if attempts_used >= session.attempts_allowed:
        return _("You have used all your attempts at this interview (%(n)d).") % {
            "n": session.attempts_allowed
        }
    return ""


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")
