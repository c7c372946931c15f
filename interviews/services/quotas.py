"""Per-candidate quotas, counted in the database: attempts started, and answers sent to grading, per hour.

They are checked when an attempt starts, never when an answer is submitted: a started attempt can always
be finished and graded, so a quota never costs anyone an answer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from interviews.models import Answer, Attempt

QUOTA = "quota"


def quota_check_attempt_start(*, candidate: User, now: datetime) -> None:
    """Refuse (ValidationError QUOTA) a new attempt past the hour's attempts or gradings."""
    hour_ago = now - timedelta(hours=1)
    started = Attempt.objects.filter(candidate=candidate, started_at__gt=hour_ago).count()
    if started >= settings.QUOTA_ATTEMPTS_PER_HOUR:
        raise ValidationError(
            _("You have started %(count)d interviews in the last hour, the most allowed. Try again later."),
            code=QUOTA,
            params={"count": started},
        )
    # Empty answers cost no LLM call (they are graded 0 at once), so they do not count.
    graded = (
        Answer.objects.filter(attempt__candidate=candidate, submitted_at__gt=hour_ago)
        .exclude(text="")
        .count()
    )
    if graded >= settings.QUOTA_GRADINGS_PER_HOUR:
        raise ValidationError(
            _(
                "You have sent %(count)d answers to grading in the last hour, the most allowed. "
                "Try again later."
            ),
            code=QUOTA,
            params={"count": graded},
        )
