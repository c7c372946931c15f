"""Middleware of the whole site: request ids, the viewer's time zone, a cap on request bodies, and a page for
a form's address opened as a link."""

from __future__ import annotations

import re
import uuid
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from config.logs import request_id_var

# An id from the proxy in front (X-Request-ID) is kept if it looks like one, so that its logs and ours join.
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _GOOD_ID.match(given) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


# The cookie static/js/timezone.js sets from the browser: its IANA zone ("Europe/Berlin").
TIME_ZONE_COOKIE = "tz"


class TimeZoneMiddleware:
    """Show times in the viewer's own zone, from the cookie the browser sets; the site's TIME_ZONE until it
    has (the first page, a browser without JavaScript) or when the cookie names no zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = _zone(request.COOKIES.get(TIME_ZONE_COOKIE, ""))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    if not name or len(name) > 64:
        return None
    try:
        return zoneinfo.ZoneInfo(name)  # cached by the zoneinfo module
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class RequestBodyLimitMiddleware:
    """Refuse (413) a body over REQUEST_MAX_BYTES (REQUEST_MAX_BYTES_ANONYMOUS without a log-in) before
    anything reads it, so nothing of it is parsed or written to disk. A body of unknown length (chunked) is
    refused too: Django could only find its size by reading it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return self.get_response(request)
        limit = (
            settings.REQUEST_MAX_BYTES
            if request.user.is_authenticated
            else settings.REQUEST_MAX_BYTES_ANONYMOUS
        )
        length = request.META.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked or (length.isdigit() and int(length) > limit):
            response = render(request, "413.html", {"limit_kb": limit // 1024}, status=413)
            # The unread body makes the connection unusable for a next request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """`require_POST` answers a GET with an empty 405, which a browser shows as a blank page: someone who
    opens a form's address (a bookmark, the history, a pasted link) gets a page saying what happened instead.
    htmx requests and responses with a body of their own are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.headers.get("HX-Request"):
            return response
        page = render(request, "405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
