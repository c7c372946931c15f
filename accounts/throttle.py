"""Rate limits (django-ratelimit, counted in the cache): rates from settings.RATELIMITS, and the log-in
lockout, which counts failed log-ins per client address and per username.

The lockout counts failures only (the `user_login_failed` signal), so a person who types the right password
is never slowed down, while 30 guesses at one account are stopped after a few.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django_ratelimit.core import get_usage

View = Callable[..., HttpResponseBase]


def rate(name: str) -> Callable[[str, HttpRequest], str]:
    """A rate for `@ratelimit(rate=...)`, read from settings.RATELIMITS at request time."""
    return lambda group, request: settings.RATELIMITS[name]


def _username_key(username: str) -> Callable[[str, HttpRequest], str]:
    return lambda group, request: username.strip().lower()


def _login_usage(request: HttpRequest, username: str, *, increment: bool) -> list[dict[str, Any]]:
    usages = [
        get_usage(request, group="login-ip", key="ip", rate=rate("login_ip"), increment=increment),
        get_usage(
            request,
            group="login-username",
            key=_username_key(username),
            rate=rate("login_username"),
            increment=increment,
        ),
    ]
    return [u for u in usages if u is not None]


def login_locked_out(request: HttpRequest, username: str) -> int:
    """Seconds until a log-in may be tried again from this address or for this username (0: allowed now)."""
    blocked = [u for u in _login_usage(request, username, increment=False) if u["count"] >= u["limit"]]
    return max((max(u["time_left"], 1) for u in blocked), default=0)


@receiver(user_login_failed)
def _count_failed_login(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: object
) -> None:
    if request is not None:
        _login_usage(request, str(credentials.get("username", "")), increment=True)


def login_throttled(view: View) -> View:
    """Wrap a log-in view (the site's or the admin's): while locked out, a POST is answered 429 with the
    lockout message and the password is not even checked."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "POST":
            wait = login_locked_out(request, request.POST.get("username", ""))
            if wait:
                minutes = max(1, round(wait / 60))
                return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
        return view(request, *args, **kwargs)

    return wrapper
