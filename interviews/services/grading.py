"""Grading workflow (claims, grade records, regrades). Being built: see issue 4."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction


def grading_enqueue(*, answer_ids: Iterable[int]) -> None:
    """Queue grading of submitted answers once the current transaction commits."""
    from interviews.tasks import grade_answer

    ids = list(answer_ids)
    transaction.on_commit(lambda: [grade_answer.delay(answer_id) for answer_id in ids])
