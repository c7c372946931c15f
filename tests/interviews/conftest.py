"""Attempts started through the real service on the real bank."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.utils import translation

from accounts.models import User
from interviews.models import Attempt
from interviews.services.practice import TIME_MODE_TOTAL, attempt_start_practice


@pytest.fixture(autouse=True)
def _english(settings) -> Iterator[None]:
    """Messages are asserted in English, the message ids; pages default to Chinese."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def start_practice(bank) -> Callable[..., Attempt]:
    def start(candidate: User, *, count: int = 3, minutes: int = 30, **choice: object) -> Attempt:
        options = {"topic_slugs": [], "difficulty": "", "time_mode": TIME_MODE_TOTAL, **choice}
        return attempt_start_practice(candidate=candidate, count=count, minutes=minutes, **options)

    return start


@pytest.fixture
def attempt(start_practice, candidate) -> Attempt:
    return start_practice(candidate, count=3)
