"""A grade that becomes current (judge, regrade, override) moves the candidate's card for that question."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from interviews.models import Grade
from interviews.signals import grade_became_current
from progress.services import card_review_grade


@receiver(grade_became_current, sender=Grade, dispatch_uid="progress.card_review_grade")
def _grade_became_current(sender: type[Grade], grade: Grade, **kwargs: Any) -> None:
    card_review_grade(grade=grade)
