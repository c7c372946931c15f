"""Who may see what: an interviewer their own sessions, an admin every one; anyone else gets a 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from accounts.roles import is_admin, is_interviewer
from interviews.models import Answer, Attempt, Session

View = Callable[..., HttpResponse]


def interviewer_required(view: View) -> View:
    """Logged in and an interviewer (or admin); a candidate gets a 404, as for a page that does not exist."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_interviewer(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def sessions_for(*, user: User) -> QuerySet[Session]:
    sessions = Session.objects.filter(kind=Session.Kind.INTERVIEW)
    return sessions if is_admin(user) else sessions.filter(owner=user)


def session_get_for_interviewer(*, user: User, session_id: int) -> Session:
    return get_object_or_404(sessions_for(user=user), pk=session_id)


def attempt_get_for_interviewer(*, user: User, attempt_id: int) -> Attempt:
    attempts = Attempt.objects.select_related("session", "candidate")
    return get_object_or_404(attempts, pk=attempt_id, session__in=sessions_for(user=user))


def answer_get_for_interviewer(*, user: User, answer_id: int) -> Answer:
    answers = Answer.objects.select_related("attempt__session", "attempt__candidate", "question")
    return get_object_or_404(answers, pk=answer_id, attempt__session__in=sessions_for(user=user))
