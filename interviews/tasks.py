"""Celery adapters: each task takes ids and calls one service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="interviews.tasks.grade_answer", acks_late=True, reject_on_worker_lost=True)
def grade_answer(answer_id: int) -> None:
    raise NotImplementedError("issue 4")


@shared_task(name="interviews.tasks.sweep")
def sweep() -> None:
    """Periodic: finish attempts past their deadline, re-enqueue answers left ungraded."""
    from interviews.services.attempts import attempts_finish_overdue

    attempts_finish_overdue()
