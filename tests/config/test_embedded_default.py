"""The embedded default (`make run` with no DATABASE_URL) runs on SQLite, which the rest of the suite never
touches: the queries that could be PostgreSQL-only run here on a real SQLite file, in a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
from hiring.selectors.review import review_queue
from interviews.selectors.review import grades_needing_review
from tests.accounts.factories import InterviewerFactory
from tests.interviews.factories import AttemptFactory, GradeFactory, SessionFactory

interviewer = InterviewerFactory()
attempt = AttemptFactory(session=SessionFactory(owner=interviewer, kind="interview"))
injected = GradeFactory(answer__attempt=attempt, flags=["injection_suspected"])
GradeFactory(answer__attempt=attempt, flags=["filler"])
assert list(grades_needing_review()) == [injected]
assert [e.grade for e in review_queue(user=interviewer)] == [injected]
print("ok")
"""


def test_the_review_queue_runs_on_the_embedded_sqlite_database(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "true",
        "SECRET_KEY": "embedded-default-test",
    }
    run = [sys.executable, "manage.py"]
    migrated = subprocess.run([*run, "migrate", "-v0"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert migrated.returncode == 0, migrated.stderr
    checked = subprocess.run(
        [*run, "shell", "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert checked.returncode == 0 and checked.stdout.strip().endswith("ok"), checked.stderr[-3000:]
