"""The invite link: a candidate logs in or signs up, sees the start page, and starts the timed interview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from hiring.selectors.builder import session_items
from hiring.services.invites import invite_attempt_start, invite_state, session_get_by_invite


@require_GET
def invite(request: HttpRequest, token: str) -> HttpResponse:
    session = session_get_by_invite(token=token)
    context: dict[str, object] = {"session": session, "built": session_items(session=session)}
    if request.user.is_authenticated:
        context["state"] = invite_state(session=session, candidate=request.user)
    return render(request, "hiring/invite.html", context)


@login_required
@require_POST
def invite_start(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    session = session_get_by_invite(token=token)
    try:
        attempt = invite_attempt_start(session=session, candidate=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("invite", token=token)
    return redirect("attempt_detail", pk=attempt.pk)
