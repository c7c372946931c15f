"""The production shape outside Docker: collectstatic, gunicorn, a Celery worker (threads pool) and beat on
local PostgreSQL and Redis. A candidate's page loads with its hashed CSS and htmx, an answer autosaves, is
submitted and graded; a grading the broker refused is queued again by beat's sweep within seconds; a 100 MB
anonymous body is refused before it is read."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from fakes.processes import beat, free_port, gunicorn, running, worker
from interviews.models import Answer
from interviews.services.attempts import attempt_start
from tests.accounts.factories import UserFactory
from tests.interviews.factories import AnswerFactory, AttemptFactory, SessionFactory, SessionItemFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a quiet harbour 42"


def _database_url() -> str:
    db = connection.settings_dict  # the test database
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory, django_db_setup: None) -> Iterator[str]:
    """collectstatic, then gunicorn + worker + beat with DEBUG=false on the test database; yields the URL."""
    tmp_path = tmp_path_factory.mktemp("production")
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "SECRET_KEY": "test-only-secret-for-the-production-processes",
        "STATIC_ROOT": str(tmp_path / "static"),
        "OPENAI_API_KEY": "",  # the offline judge grades
        "SWEEP_SECONDS": "2",
        "LOG_FORMAT": "json",
    }
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert collect.returncode == 0, collect.stderr
    commands = {
        "web": gunicorn(port, workers=2),
        "worker": worker(2, hostname="processes@%h", loglevel="INFO"),
        "beat": beat(tmp_path / "beat-schedule"),
    }
    logs = {name: tmp_path / f"{name}.log" for name in commands}
    with running(commands, env, logs=tmp_path) as processes:
        url = f"http://127.0.0.1:{port}"

        def web_up() -> bool:
            try:
                return httpx.get(f"{url}/healthz", timeout=5).status_code == 200
            except httpx.HTTPError:
                return processes["web"].poll() is not None

        # Generous: the machine running the suite may be busy, and the worker loads the offline judge's model.
        _wait_for(web_up, 180, "gunicorn")
        _wait_for(lambda: b" ready." in logs["worker"].read_bytes(), 240, "the worker")
        for name, process in processes.items():
            assert process.poll() is None, f"{name} exited:\n{logs[name].read_text()}"
        yield url


@pytest.fixture(autouse=True)
def _flush_outlasts_the_sweep() -> None:
    """Beat's sweep (every 2 s) keeps locking answer rows while the test database is emptied after each test.
    The TRUNCATE and a sweep can deadlock; PostgreSQL aborts whichever session checks first, after its
    deadlock_timeout (1 s). A longer one on the test's own connection makes the sweep give way; the next sweep
    runs again."""
    with connection.cursor() as cursor:
        cursor.execute("SET deadlock_timeout = '30s'")


def _csrf(client: httpx.Client) -> str:
    return client.cookies["csrftoken"]


def test_the_production_processes_serve_pages_assets_autosave_grading_and_the_sweep(
    production: str, settings
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # as gunicorn has it
    candidate = UserFactory(username="prod-candidate", password=PASSWORD)
    session = SessionFactory(owner=candidate, time_limit_seconds=1800)
    SessionItemFactory(session=session)
    SessionItemFactory(session=session)
    attempt = attempt_start(candidate=candidate, session=session)
    first = attempt.answers.get(position=1)

    with httpx.Client(base_url=production, timeout=20, headers={"accept-language": "en"}) as client:
        health = client.get("/healthz").json()
        assert health["status"] == "ok"

        client.get("/accounts/login/")
        login = client.post(
            "/accounts/login/",
            data={"username": candidate.username, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(client)},
        )
        assert login.status_code == 302

        page = client.get(f"/attempts/{attempt.pk}/")
        assert page.status_code == 200
        assert "Content-Security-Policy" in page.headers and page.headers["X-Request-ID"]
        css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page.text)
        htmx = re.search(r'src="(/static/django_htmx/htmx[^"]*\.[0-9a-f]{12}\.js)"', page.text)
        script = re.search(r'src="(/static/js/interview\.[0-9a-f]{12}\.js)"', page.text)
        assert css and htmx and script, "hashed static file names in the page"
        for path, kind in ((css[1], "text/css"), (htmx[1], "javascript"), (script[1], "javascript")):
            asset = client.get(path, headers={"accept-encoding": "gzip"})
            assert asset.status_code == 200 and kind in asset.headers["content-type"], path
            assert "immutable" in asset.headers["cache-control"]
        assert "htmx" in client.get(htmx[1]).text[:2000]

        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        saved = client.post(
            f"/attempts/{attempt.pk}/answers/1/save/",
            data={"text": "自注意力：Q、K、V 来自同一序列。\r\n第二行", "csrfmiddlewaretoken": token},
            headers={"hx-request": "true"},
        )
        assert saved.status_code == 200
        first.refresh_from_db()
        assert first.text == "自注意力：Q、K、V 来自同一序列。\n第二行"

        submitted = client.post(
            f"/attempts/{attempt.pk}/answers/1/submit/", data={"csrfmiddlewaretoken": token}
        )
        assert submitted.status_code == 302

    _wait_for(lambda: Answer.objects.get(pk=first.pk).status == Answer.Status.GRADED, 60, "the grade")

    # The broker refused this one when it was submitted: beat's sweep queues it again within seconds.
    done = AttemptFactory(candidate=candidate, finished=True)
    refused = AnswerFactory(
        attempt=done,
        status=Answer.Status.SUBMITTED,
        text="queued while Redis was away",
        enqueue_failed_at=timezone.now(),
    )
    _wait_for(lambda: Answer.objects.get(pk=refused.pk).status == Answer.Status.GRADED, 30, "the sweep")


def test_a_100_mb_anonymous_body_is_refused_by_the_running_server_before_it_is_read(production: str) -> None:
    host, port = production.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /accounts/signup/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 104857600\r\n\r\n"
            + b"x"
            * 65536
        )
        started = time.monotonic()
        reply = sock.recv(4096)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert time.monotonic() - started < 5
