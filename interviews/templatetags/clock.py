"""Times for the interview pages: clock times, countdown strings, instants in milliseconds for the script."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format

from interviews import clock

register = template.Library()
register.filter("duration", clock.duration)


@register.filter(name="clock")
def clock_filter(moment: datetime | None) -> str:
    return clock.clock_time(moment) if moment else ""


@register.filter
def epoch_ms(moment: datetime | None) -> int:
    return int(moment.timestamp() * 1000) if moment else 0


@register.filter
def ms_until(moment: datetime) -> int:
    return max(0, int((moment - timezone.now()).total_seconds() * 1000))


@register.filter
def end_time(moment: datetime) -> str:
    """When an interview ends: "14:05", or "12-03 02:16" when that is not today (in the viewer's zone)."""
    local = timezone.localtime(moment)
    return date_format(local, "H:i" if local.date() == timezone.localdate() else "m-d H:i")
