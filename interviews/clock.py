"""How the interview shows times: one format for instants, one for countdowns (services, views and pages)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import time_format

CLOCK_FORMAT = "H:i:s"


def clock_time(moment: datetime) -> str:
    """An instant as the candidate's clock shows it: 14:05:09, in the site's time zone."""
    return time_format(timezone.localtime(moment), CLOCK_FORMAT)


def duration(seconds: int | None) -> str:
    """Seconds as a countdown reads them: 4:05, 1:02:03."""
    total = max(0, int(seconds or 0))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
