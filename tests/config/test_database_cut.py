"""PostgreSQL cut off (through a proxy the test controls) while a candidate autosaves and at the deadline:
the server answers an error and never claims to hold the text; once the database is back the same request
stores it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from fakes.tcp_proxy import TcpProxy
from interviews.models import Answer, Attempt
from interviews.services.attempts import attempt_start
from tests.interviews.factories import SessionFactory, SessionItemFactory

pytestmark = pytest.mark.django_db(transaction=True)
HTMX = {"HX-Request": "true"}
TEXT = "数据库断开时写下的答案，不能丢。"


@pytest.fixture
def proxy() -> Iterator[TcpProxy]:
    """This process's database connection goes through a proxy (connect timeout 2 s) while the test runs."""
    params = connection.settings_dict
    saved = {"PORT": params["PORT"], "OPTIONS": params["OPTIONS"]}
    with TcpProxy(params["HOST"] or "127.0.0.1", int(params["PORT"] or 5432)) as tcp:
        connection.close()
        params.update(PORT=str(tcp.port), OPTIONS={**params["OPTIONS"], "connect_timeout": 2})
        try:
            yield tcp
        finally:
            tcp.restore()
            connection.close()
            params.update(saved)


@pytest.fixture
def attempt(candidate) -> Attempt:
    session = SessionFactory(owner=candidate, time_limit_seconds=600)
    SessionItemFactory(session=session)
    return attempt_start(candidate=candidate, session=session)


def _reconnect(proxy: TcpProxy) -> None:
    """The database is back; drop the broken connection as a server does between requests."""
    proxy.restore()
    connection.close()


def _client(candidate) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(candidate)
    return client


def test_an_autosave_while_the_database_is_cut_fails_and_the_same_save_succeeds_after(
    candidate, attempt, proxy
) -> None:
    client = _client(candidate)
    url = reverse("answer_save", args=[attempt.pk, 1])
    assert client.post(url, {"text": "before the cut"}, headers=HTMX).status_code == 200

    proxy.cut()
    cut = client.post(url, {"text": TEXT}, headers=HTMX)  # the open connection is dropped
    connection.close()  # as a server does between requests (the test client leaves it to us)
    started = time.monotonic()
    reconnecting = client.post(url, {"text": TEXT}, headers=HTMX)  # a new connection is never answered
    elapsed = time.monotonic() - started
    _reconnect(proxy)

    for response in (cut, reconnecting):
        assert response.status_code >= 500
        assert "saved" not in response.content.decode().lower()
    assert elapsed < 2 + 3, f"took {elapsed:.1f} s"
    assert Answer.objects.get(attempt=attempt).text == "before the cut"
    again = client.post(url, {"text": TEXT}, headers=HTMX)
    assert again.status_code == 200 and "saved" in again.content.decode().lower()
    assert Answer.objects.get(attempt=attempt).text == TEXT


def test_the_finish_at_the_deadline_while_the_database_is_cut_fails_and_its_retry_submits_the_text(
    candidate, attempt, proxy
) -> None:
    client = _client(candidate)
    url = reverse("attempt_finish", args=[attempt.pk])
    data = {"position": "1", "text": TEXT, "seconds_spent": "600"}

    with time_machine.travel(attempt.deadline + timedelta(seconds=1)):
        proxy.cut()
        cut = client.post(url, data)
        _reconnect(proxy)
        assert cut.status_code >= 500
        assert Answer.objects.get(attempt=attempt).status == Answer.Status.DRAFT

        retry = client.post(url, data)

    assert retry.status_code == 302 and retry["Location"].endswith(f"/attempts/{attempt.pk}/results/")
    answer = Answer.objects.get(attempt=attempt)
    assert (answer.status, answer.text) == (Answer.Status.SUBMITTED, TEXT)
