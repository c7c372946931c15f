"""A person grades: the human grade becomes current, the judge's stays as history; appeals are answered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from interviews.models import Answer, Appeal, Grade
from interviews.services.grading import grade_current_announce

VERDICTS = ("met", "partial", "missed")


@dataclass(frozen=True)
class PointDecision:
    verdict: str
    points: Decimal
    comment: str = ""


def grade_override(
    *, answer: Answer, reviewer: User, decisions: Mapping[str, PointDecision], comment: str
) -> Grade:
    """Record a person's grade of every rubric point of the answer's current grade (keyed by criterion id).

    Open appeals of the answer are answered: "changed" when their point's points changed, else "kept".
    """
    with transaction.atomic():
        locked = Answer.objects.select_for_update().get(pk=answer.pk)
        if locked.status != Answer.Status.GRADED:
            raise ValidationError(_("This answer is being graded again; wait for the grade, then review it."))
        current = Grade.objects.get(answer=locked, is_current=True)
        criteria = [_decided(point, decisions) for point in current.criteria]
        before = {str(c["criterion_id"]): Decimal(str(c["points"])) for c in current.criteria}
        after = {str(c["criterion_id"]): Decimal(str(c["points"])) for c in criteria}
        Grade.objects.filter(pk=current.pk).update(is_current=False)
        grade = Grade.objects.create(
            answer=locked,
            judge=Grade.Judge.HUMAN,
            graded_by=reviewer,
            comment=comment.strip(),
            answer_hash=current.answer_hash,
            rubric_hash=current.rubric_hash,
            rubric_snapshot=current.rubric_snapshot,
            score=sum(after.values(), Decimal(0)),
            max_score=current.max_score,
            criteria=criteria,
            feedback=current.feedback,
            misconceptions=current.misconceptions,
        )
        now = timezone.now()
        for appeal in Appeal.objects.select_for_update().filter(answer=locked, status=Appeal.Status.OPEN):
            point = appeal.criterion_id
            appeal.status = (
                Appeal.Status.CHANGED if before.get(point) != after.get(point) else Appeal.Status.KEPT
            )
            appeal.outcome_comment = decisions[point].comment if point in decisions else ""
            appeal.outcome_comment = appeal.outcome_comment or grade.comment
            appeal.resolved_by, appeal.resolved_at = reviewer, now
            appeal.save(update_fields=["status", "outcome_comment", "resolved_by", "resolved_at"])
        grade_current_announce(grade)
    return grade


def _decided(point: dict[str, object], decisions: Mapping[str, PointDecision]) -> dict[str, object]:
    key = str(point.get("criterion_id"))
    decision = decisions.get(key)
    if decision is None:
        raise ValidationError(_("Every rubric point needs a decision."), code="missing")
    possible = Decimal(str(point.get("points_possible", 0)))
    if decision.verdict not in VERDICTS:
        raise ValidationError(_("Unknown verdict."), code="verdict")
    if not Decimal(0) <= decision.points <= possible:
        raise ValidationError(
            _("Points must be between 0 and %(max)s."),
            code="points",
            params={"max": f"{possible.normalize():f}"},
        )
    return {
        **point,
        "verdict": decision.verdict,
        "points": float(decision.points),
        "comment": decision.comment.strip() or point.get("comment", ""),
    }
