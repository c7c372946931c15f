"""Moments around an attempt's deadline, for tests that move the clock (time-machine)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from interviews.models import Attempt


def after_grace(attempt: Attempt, seconds: int = 1) -> datetime:
    """The moment `seconds` after the attempt's deadline plus the grace period."""
    return attempt.deadline + timedelta(seconds=settings.DEADLINE_GRACE_SECONDS + seconds)
