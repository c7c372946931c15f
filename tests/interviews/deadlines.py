"""Builders for the interview tests: moments around a deadline, grades as the grading service stores them."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from interviews.models import Answer, Attempt, Grade


def after_grace(attempt: Attempt, seconds: int = 1) -> datetime:
    """The moment `seconds` after the attempt's deadline plus the grace period."""
    return attempt.deadline + timedelta(seconds=settings.DEADLINE_GRACE_SECONDS + seconds)


def grade(answer: Answer, *, score: str = "6", max_score: str = "10", **fields: object) -> Grade:
    """A current grade for an answer, in the shape the grading service stores."""
    answer.status = Answer.Status.GRADED
    answer.submitted_at = answer.submitted_at or timezone.now()
    answer.save(update_fields=["status", "submitted_at"])
    defaults: dict[str, object] = {
        "judge": Grade.Judge.OFFLINE,
        "answer_hash": "a" * 64,
        "rubric_hash": "r" * 16,
        "criteria": [
            {
                "criterion_id": 1,
                "description": "指出 Q、K 使用不同投影的作用",
                "points_possible": 4,
                "verdict": "met",
                "points": 4,
                "evidence": "不同的投影让注意力不对称",
                "comment": "",
            },
            {
                "criterion_id": 2,
                "description": "说明缩放因子的作用",
                "points_possible": 6,
                "verdict": "partial",
                "points": 2,
                "evidence": "",
                "comment": "没有解释方差",
            },
        ],
        "feedback": "思路清楚，缺少对方差的讨论。",
        **fields,
    }
    return Grade.objects.create(answer=answer, score=Decimal(score), max_score=Decimal(max_score), **defaults)
