"""Times for the interview pages: countdown strings, and instants in milliseconds for the page's script."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def duration(seconds: int | None) -> str:
    """Seconds as a countdown reads them: 4:05, 1:02:03."""
    total = max(0, int(seconds or 0))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def epoch_ms(moment: datetime | None) -> int:
    return int(moment.timestamp() * 1000) if moment else 0


@register.filter
def ms_until(moment: datetime) -> int:
    return max(0, int((moment - timezone.now()).total_seconds() * 1000))
