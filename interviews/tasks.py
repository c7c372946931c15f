"""Celery adapters: each task takes ids and calls one service."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from celery.signals import worker_init
from django.conf import settings
from django.db import DatabaseError
from kombu.exceptions import OperationalError as BrokerError

from interviews.grading import semantic
from interviews.grading.errors import JudgeUnavailable
from interviews.services.attempts import attempts_finish_overdue
from interviews.services.grading import (
    answer_grade,
    answer_grading_failed,
    answers_regrade_after_llm_outage,
    answers_requeue_stale,
    grading_retry_delay,
)
from interviews.services.rubric_proposals import question_rubric_propose


class GradingTask(Task):
    def on_failure(self, exc: Exception, task_id: str, args: tuple, kwargs: dict, einfo: Any) -> None:
        # An outage (database, broker) is no verdict on the answer: the sweep queues it again later.
        if not isinstance(exc, DatabaseError | BrokerError):
            answer_grading_failed(answer_id=args[0] if args else kwargs["answer_id"])


@shared_task(
    bind=True,
    base=GradingTask,
    name="interviews.tasks.grade_answer",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=settings.GRADING_MAX_RETRIES,
)
def grade_answer(self: Task, answer_id: int, force: bool = False) -> None:
    """Grade with the configured judge; rate limits, 5xx and timeouts are retried, then it grades offline."""
    try:
        answer_grade(answer_id=answer_id, force=force)
    except JudgeUnavailable as exc:
        if self.request.retries >= self.max_retries:
            answer_grade(answer_id=answer_id, force=force, fallback=exc)
            return
        delay = grading_retry_delay(retries=self.request.retries, retry_after=exc.retry_after)
        raise self.retry(exc=exc, countdown=delay) from exc


@shared_task(name="interviews.tasks.propose_rubric")
def propose_rubric(question_id: int) -> None:
    """The LLM's draft rubric for an imported question; a failed or unusable reply keeps the one it has."""
    question_rubric_propose(question_id=question_id)


@shared_task(name="interviews.tasks.sweep")
def sweep() -> None:
    """Periodic: finish attempts past their deadline, re-enqueue answers left ungraded, give the LLM back the
    answers the offline judge graded while it was down."""
    attempts_finish_overdue()
    answers_requeue_stale()
    answers_regrade_after_llm_outage()


@worker_init.connect
def load_sentence_encoder(**kwargs: object) -> None:
    """Load the offline judge's model as the worker starts (it grades, or stands by for the LLM), not on the
    first answer; forked pool processes inherit it."""
    semantic.load()
