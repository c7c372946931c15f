"""Site-wide views: the health check, the page shown when a rate limit is hit, /favicon.ico."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker reachable, each within a second or two; 503 names what is not."""
    started = time.monotonic()
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        **{name: "ok" if ok else "unreachable" for name, ok in checks.items()},
        "ms": round((time.monotonic() - started) * 1000, 1),
    }
    return JsonResponse(body, status=200 if healthy else 503)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


def _broker_ok() -> bool:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=1,
        ) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001 - any failure to reach the broker is "unreachable"
        return False


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the site's 403 page (an expired form, a log-in in another tab), not Django's."""
    return render(request, "403.html", status=403)


def ratelimited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """429 for every rate limit (django-ratelimit's RATELIMIT_VIEW); htmx gets the message alone."""
    template = "429.html#message" if getattr(request, "htmx", False) else "429.html"
    response = render(request, template, status=429)
    response["Retry-After"] = "60"
    return response


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the static file."""
    return HttpResponsePermanentRedirect(staticfiles_storage.url("favicon.ico"))
