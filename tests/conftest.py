"""Shared fixtures: personas, the loaded bank, and data from ../shared. Tests run on real PostgreSQL and Redis
(see `make test`); rows are built with the factories of each app (tests/<app>/factories.py)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import User
from tests.accounts.factories import AdminFactory, InterviewerFactory, UserFactory

# Data shared between repositories (seed manifest, judge data sets), kept beside this one, never in it.
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared_path(name: str) -> Path:
    """The path of `name` under ../shared: skipped with the reason when missing, but a failure under CI."""
    path = SHARED / name
    if not path.exists():
        message = f"{name} is not on this machine: ../shared is missing beside the repository"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: CI must run with it", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture
def shared() -> Callable[[str], Path]:
    """`shared_path` as a fixture: `shared("judge-data/ads-dev.jsonl")`."""
    return shared_path


@pytest.fixture(autouse=True)
def _fast_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _static_files_unhashed(settings) -> None:
    """Tests run without DEBUG but without collectstatic: files are found where they are, unhashed (the
    collected, hashed shape is tested in tests/config/test_processes.py)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_rate_limits(settings) -> None:
    """Rate-limit counters outlive a test in the shared cache; tests of the limits turn them on with
    `rate_limits` (a private in-memory cache)."""
    settings.RATELIMIT_ENABLE = False


@pytest.fixture
def rate_limits(settings, request) -> None:
    settings.RATELIMIT_ENABLE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }


@pytest.fixture
def candidate(db) -> User:
    return UserFactory(username="candidate", password="pw-candidate-1")


@pytest.fixture
def other_candidate(db) -> User:
    return UserFactory(username="other", password="pw-other-1")


@pytest.fixture
def interviewer(db) -> User:
    return InterviewerFactory(username="interviewer", password="pw-interviewer-1")


@pytest.fixture
def admin_user(db) -> User:
    return AdminFactory(username="admin", password="pw-admin-1")


@pytest.fixture
def bank(db) -> None:
    """The whole curated bank, loaded from questionbank/data/."""
    call_command("load_question_bank", verbosity=0)
