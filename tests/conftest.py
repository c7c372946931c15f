"""Shared fixtures: personas and the loaded bank. Tests run on real PostgreSQL (see `make test`)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _fast_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def candidate(db) -> User:
    return User.objects.create_user("candidate", password="pw-candidate-1")


@pytest.fixture
def other_candidate(db) -> User:
    return User.objects.create_user("other", password="pw-other-1")


@pytest.fixture
def interviewer(db) -> User:
    user = User.objects.create_user("interviewer", password="pw-interviewer-1")
    user.groups.add(Group.objects.get_or_create(name="interviewer")[0])
    return user


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.create_superuser("admin", password="pw-admin-1")


@pytest.fixture
def bank(db) -> None:
    """The whole curated bank, loaded from questionbank/data/."""
    call_command("load_question_bank", verbosity=0)
