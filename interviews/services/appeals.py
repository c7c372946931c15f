"""A candidate contests one rubric point of a graded interview answer; a person answers it (hiring)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from interviews.grading.types import Flag
from interviews.models import Answer, Appeal, Session

APPEAL_REASON_MAX_CHARS = 500


def appeal_create(*, answer: Answer, criterion_id: str, reason: str) -> Appeal:
    """Open an appeal of one point of the answer's current grade: once per point, with a short reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say briefly why this point should be graded again."), code="reason")
    if len(reason) > APPEAL_REASON_MAX_CHARS:
        raise ValidationError(
            _("Keep the reason under %(max)d characters."),
            code="reason",
            params={"max": APPEAL_REASON_MAX_CHARS},
        )
    session = answer.attempt.session
    if session.kind != Session.Kind.INTERVIEW or not session.shows_feedback:
        raise ValidationError(_("Grades of this session cannot be appealed."), code="not_appealable")
    grade = answer.grades.filter(is_current=True).first()
    if answer.status != Answer.Status.GRADED or grade is None:
        raise ValidationError(_("This answer is not graded yet."), code="not_graded")
    if Flag.EMPTY in grade.flags:
        raise ValidationError(_("An empty answer has nothing to grade again."), code="empty")
    if criterion_id not in {str(c.get("criterion_id")) for c in grade.criteria}:
        raise ValidationError(_("This grade has no such point."), code="criterion")
    try:
        with transaction.atomic():
            return Appeal.objects.create(answer=answer, criterion_id=criterion_id, reason=reason)
    except IntegrityError:
        raise ValidationError(_("You have already appealed this point."), code="duplicate") from None
