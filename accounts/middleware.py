"""What a page whose log-in ended (logged out in another tab, session expired) gets for its next request."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.http import HtmxHttpRequest


class LogInAgainMiddleware:
    """`login_required` sends a request without a log-in to the log-in page, with `next` its own URL. That is
    right for a page, wrong for the requests a page makes:

    - htmx (an autosave, a poll): the log-in page would be swapped into the page as if it were the answer,
      and an autosave would count as saved. It gets 401 and `HX-Redirect`, so the whole page goes to log in
      and comes back to itself; what it had not saved stays in the browser (static/js/interview.js).
    - a form post (submit, finish): after log-in the browser would GET a POST-only URL (405). It comes back
      to the page the form was on instead.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HtmxHttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != 302
            or not (request.htmx or request.method != "GET")
            or request.user.is_authenticated
            or urlsplit(response.get("Location", "")).path != resolve_url(settings.LOGIN_URL)
        ):
            return response
        page = request.headers.get("HX-Current-URL") if request.htmx else request.headers.get("Referer")
        target = redirect_to_login(_own_path(request, page or "")).url
        if not request.htmx:
            return HttpResponseRedirect(target)
        logged_out = HttpResponse(status=401)
        logged_out["HX-Redirect"] = target
        return logged_out


def _own_path(request: HttpRequest, url: str) -> str:
    """The path (and query) of a URL of this site; the home page for any other."""
    if not url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
