"""Timeouts on every dependency: a database or broker that accepts connections and never answers costs a
request seconds, not minutes, and a submit stands even when its grading cannot be queued."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from config.celery import app as celery_app
from interviews.models import Answer
from interviews.services.attempts import attempt_start
from tests.interviews.factories import SessionFactory, SessionItemFactory


@contextmanager
def black_hole() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word (a hung server, a cut network)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for sock in accepted:
            sock.close()
        server.close()


def _libpq_options() -> dict[str, object]:
    return {k: v for k, v in settings.DATABASES["default"]["OPTIONS"].items() if k != "options"}


def test_connecting_to_a_database_that_never_answers_fails_within_the_connect_timeout() -> None:
    with black_hole() as port:
        started = time.monotonic()
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="x", **_libpq_options())
        elapsed = time.monotonic() - started
    assert elapsed < settings.DATABASES["default"]["OPTIONS"]["connect_timeout"] + 3


def test_a_statement_running_past_the_statement_timeout_is_cancelled(db) -> None:
    params = connection.get_connection_params()
    params["options"] = "-c statement_timeout=300"
    with psycopg.connect(**params) as conn:
        started = time.monotonic()
        with pytest.raises(psycopg.errors.QueryCanceled):
            conn.execute("SELECT pg_sleep(5)")
    assert time.monotonic() - started < 3
    assert "statement_timeout=" in settings.DATABASES["default"]["OPTIONS"]["options"]


@contextmanager
def _publishing_to(url: str) -> Iterator[None]:
    """Point this process's Celery producer at another broker (the app caches its pools)."""
    old = celery_app.conf.broker_url
    celery_app.conf.broker_url = url
    celery_app._after_fork()
    try:
        yield
    finally:
        celery_app.conf.broker_url = old
        celery_app._after_fork()


@pytest.mark.django_db(transaction=True)
def test_a_submit_with_the_broker_black_holed_answers_in_seconds_and_the_grading_is_queued_later(
    client, candidate
) -> None:
    session = SessionFactory(owner=candidate)
    SessionItemFactory(session=session)
    SessionItemFactory(session=session)
    attempt = attempt_start(candidate=candidate, session=session)
    client.force_login(candidate)

    with black_hole() as port, _publishing_to(f"redis://127.0.0.1:{port}/0"):
        started = time.monotonic()
        response = client.post(
            reverse("answer_submit", args=[attempt.pk, 1]), {"text": "提交时 Redis 没有回应。"}
        )
        elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < settings.CELERY_BROKER_TRANSPORT_OPTIONS["socket_timeout"] + 5, f"took {elapsed:.1f} s"
    answer = Answer.objects.get(attempt=attempt, position=1)
    assert answer.status == Answer.Status.SUBMITTED and answer.text == "提交时 Redis 没有回应。"
    assert answer.enqueue_failed_at is not None  # the next sweep queues it again
