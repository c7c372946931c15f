"""Through a real Celery worker (threads pool) on real Redis and PostgreSQL, with the fake LLM server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from accounts.models import User
from config.celery import app as celery_app
from fakes.llm_server import FakeLLM
from interviews.models import Answer, Attempt
from interviews.services.attempts import answer_submit, attempt_start
from interviews.services.grading import answers_requeue_stale
from interviews.tasks import grade_answer
from questionbank.models import Question
from tests.interviews.factories import SessionFactory, SessionItemFactory
from tests.interviews.grading.factories import question_from_spec, submitted_attempt
from tests.interviews.grading.helpers import bank_question, half_answer

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]  # the repository: celery -A config runs there
SPEC = bank_question("mqa-vs-gqa")
TEXT, _, _ = half_answer(SPEC)
OWN_REDIS_PORT = 6390


class Worker:
    def __init__(self, process: subprocess.Popen[bytes], log: Path) -> None:
        self.process, self.log = process, log

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


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


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    fake = FakeLLM(latency=0.2).start()
    yield fake
    fake.stop()


@pytest.fixture
def start_worker(tmp_path: Path, fake_llm: FakeLLM) -> Iterator[Callable[..., Worker]]:
    """Start `celery -A config worker --pool threads` against the test database; stopped after the test."""
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()  # nothing left over from an earlier test
    workers: list[Worker] = []

    def start(*, broker_url: str = settings.CELERY_BROKER_URL, **env: str) -> Worker:
        environment = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": broker_url,
            "OPENAI_API_KEY": "test-key",
            "OPENAI_BASE_URL": fake_llm.base_url,
            "OPENAI_TIMEOUT": "30",
            # The fake spots words, the offline judge reads meaning: no disagreement check here.
            "JUDGE_MAX_DISAGREEMENT": "1",
            "SECRET_KEY": "test-only-secret",
            "LOG_LEVEL": "INFO",
            **env,
        }
        log = tmp_path / f"worker-{len(workers)}.log"
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "threads"]
        command += ["--concurrency", "4", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["--hostname", f"grading-test-{len(workers)}@%h", "--loglevel", "INFO"]
        with log.open("wb") as out:
            process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=out, stderr=out)
        worker = Worker(process, log)
        workers.append(worker)
        _wait_for(lambda: b" ready." in log.read_bytes() or process.poll() is not None, 60, "the worker")
        assert process.poll() is None, log.read_text()
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def question(transactional_db: None) -> Question:
    return question_from_spec(SPEC)


def _graded(answer: Answer) -> bool:
    return Answer.objects.get(pk=answer.pk).status == Answer.Status.GRADED


def test_a_submitted_answer_is_graded_by_the_worker(
    start_worker: Callable[..., Worker], fake_llm: FakeLLM, candidate: User, question: Question
) -> None:
    start_worker()
    session = SessionFactory(owner=candidate, title="one question")
    SessionItemFactory(session=session, question=question)
    attempt = attempt_start(candidate=candidate, session=session)
    answer = attempt.answers.get()

    assert answer_submit(answer=answer, text=TEXT)

    _wait_for(lambda: _graded(answer), 30, "the grade")
    grade = answer.grades.get()
    assert grade.judge == "llm" and not grade.provisional and grade.score > 0
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    assert len(fake_llm.requests) == 1


def test_duplicate_deliveries_make_one_grade(
    start_worker: Callable[..., Worker], fake_llm: FakeLLM, candidate: User, question: Question
) -> None:
    fake_llm.latency = 1.0
    answer = submitted_attempt(candidate, [(question, TEXT)]).answers.get()
    start_worker()
    for _ in range(5):  # the worker's four threads take four at once
        grade_answer.delay(answer.pk)

    _wait_for(lambda: _graded(answer), 30, "the grade")
    grade_answer.delay(answer.pk)  # and once more after it is graded
    time.sleep(2)
    assert answer.grades.count() == 1
    assert len(fake_llm.requests) == 1


def test_an_answer_whose_worker_is_killed_mid_grade_is_graded_once_by_the_next_worker(
    start_worker: Callable[..., Worker], fake_llm: FakeLLM, candidate: User, question: Question
) -> None:
    fake_llm.latency = 30.0
    answer = submitted_attempt(candidate, [(question, TEXT)]).answers.get()
    # Unacknowledged messages return to the queue after the visibility timeout; claims are stale at once here.
    # (The threads pool enforces no task time limits; the settings only check that claims outlast them.)
    quick = {
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "GRADING_STALE_MINUTES": "0",
        "CELERY_TASK_TIME_LIMIT": "0",
        "CELERY_TASK_SOFT_TIME_LIMIT": "0",
    }
    first = start_worker(**quick)
    grade_answer.delay(answer.pk)
    _wait_for(lambda: len(fake_llm.requests) == 1, 30, "the first worker to call the LLM")

    first.process.send_signal(signal.SIGKILL)
    first.process.wait()
    assert Answer.objects.get(pk=answer.pk).status == Answer.Status.GRADING
    fake_llm.latency = 0.2
    time.sleep(5)  # past the visibility timeout: a starting worker puts the unacknowledged message back
    start_worker(**quick)

    _wait_for(lambda: _graded(answer), 60, "the next worker to grade the redelivered task")
    time.sleep(2)
    assert answer.grades.count() == 1
    assert len(fake_llm.requests) == 2


@contextmanager
def _own_redis(port: int, directory: Path) -> Iterator[Callable[[], None]]:
    """A private redis-server (the machine's is shared with other test runs); yields a restart function."""
    processes: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory)]
        command += ["--save", "", "--appendonly", "no"]
        processes.append(subprocess.Popen(command, stdout=subprocess.DEVNULL))
        client = redis.Redis(port=port)
        _wait_for(lambda: _pings(client), 10, "redis-server to start")

    start()
    try:
        yield start
    finally:
        for process in processes:
            process.terminate()
            process.wait()


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


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


def test_an_answer_submitted_while_redis_is_down_is_kept_and_graded_by_the_sweep_when_it_returns(
    start_worker: Callable[..., Worker], tmp_path: Path, candidate: User, question: Question
) -> None:
    broker_url = f"redis://127.0.0.1:{OWN_REDIS_PORT}/0"
    session = SessionFactory(owner=candidate, title="outage")
    SessionItemFactory(session=session, question=question)
    answer = attempt_start(candidate=candidate, session=session).answers.get()

    with _own_redis(OWN_REDIS_PORT, tmp_path) as restart_redis, _publishing_to(broker_url):
        redis.Redis(port=OWN_REDIS_PORT).shutdown(nosave=True)
        assert answer_submit(answer=answer, text=TEXT)  # no error for the candidate
        answer.refresh_from_db()
        assert (answer.status, answer.text) == (Answer.Status.SUBMITTED, TEXT)

        restart_redis()
        start_worker(broker_url=broker_url)
        answer.refresh_from_db()
        assert answer.enqueue_failed_at is not None  # recorded, so the very next sweep queues it again
        assert answers_requeue_stale() == 1  # what the beat's sweep does, every SWEEP_SECONDS

        _wait_for(lambda: _graded(answer), 30, "the grade after Redis returned")
    assert answer.grades.count() == 1
