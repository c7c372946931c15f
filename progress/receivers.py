"""A grade that becomes current (judge, regrade, override) moves the candidate's card for that question."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from interviews.models import Grade
from interviews.signals import grade_became_current
from progress.services import card_review_grade

logger = logging.getLogger(__name__)


@receiver(grade_became_current, sender=Grade, dispatch_uid="progress.card_review_grade")
def _grade_became_current(sender: type[Grade], grade: Grade, **kwargs: Any) -> None:
    # The grade is committed already: a card that cannot be updated (logged, that review is missing from its
    # schedule) must not fail the grading task that sent the signal.
    try:
        card_review_grade(grade=grade)
    except Exception:
        logger.exception("Review card not updated for grade %s", grade.pk)
