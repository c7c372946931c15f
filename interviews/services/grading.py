"""Grading workflow: claim a submitted answer, run the judge, record the grade; regrades; the sweep's share.

An answer moves SUBMITTED -> GRADING (claimed by one worker, `grading_started_at` set) -> GRADED. A claim
older than GRADING_STALE_MINUTES was abandoned (a killed worker) and may be taken over. Every write is
guarded by status, so however often a task runs, one grade is recorded per answer text and rubric (the
idempotency key).
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Iterable
from dataclasses import asdict, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from interviews.grading.errors import JudgeError, JudgeFailed, JudgeUnavailable
from interviews.grading.text import compact
from interviews.grading.types import CriterionInput, Flag, GradeResult
from interviews.models import Answer, Attempt, Grade
from interviews.services.examples import judge_input_with_examples
from interviews.services.judges import judge_get, judge_input_for_question, offline_judge
from interviews.signals import grade_became_current
from questionbank.models import Question, rubric_fingerprint

logger = logging.getLogger(__name__)

RETRY_MAX_SECONDS = 300.0


def grading_enqueue(*, answer_ids: Iterable[int], force: bool = False) -> None:
    """Queue grading of submitted answers once the current transaction commits.

    This runs after the submit has committed, so it may neither fail nor hang it: a send is tried once, with
    the broker's short connect and socket timeouts, and a failure is recorded on the answers
    (`enqueue_failed_at`) for the next sweep, seconds later, to queue them again.
    """
    from interviews.tasks import grade_answer

    ids = list(answer_ids)
    kwargs = {"force": True} if force else {}

    def send() -> None:
        for sent, answer_id in enumerate(ids):
            try:
                grade_answer.apply_async((answer_id,), kwargs, retry=False)
            except Exception as exc:  # noqa: BLE001 - whatever the broker raises, the submit stands
                _enqueue_failed(answer_ids=ids[sent:], error=exc)
                return

    transaction.on_commit(send)


def _enqueue_failed(*, answer_ids: list[int], error: Exception) -> None:
    logger.warning(
        "Broker unreachable: %d answer(s) left for the sweep to queue",
        len(answer_ids),
        extra={"answer_ids": answer_ids, "error": repr(error)},
    )
    try:
        Answer.objects.filter(pk__in=answer_ids, status=Answer.Status.SUBMITTED).update(
            enqueue_failed_at=timezone.now()
        )
    except DatabaseError:
        # Both down: the sweep still finds them once they are older than GRADING_STALE_MINUTES.
        logger.exception("Could not record the failed enqueue of answers %s", answer_ids)


def answer_text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def answer_claim(*, answer_id: int, now: datetime) -> bool:
    """Take a submitted answer, or one whose claim was abandoned, for grading; False if someone has it."""
    stale = now - timedelta(minutes=settings.GRADING_STALE_MINUTES)
    abandoned = Q(status=Answer.Status.GRADING) & (
        Q(grading_started_at__lt=stale) | Q(grading_started_at__isnull=True)
    )
    claimed = (
        Answer.objects.filter(pk=answer_id)
        .filter(Q(status=Answer.Status.SUBMITTED) | abandoned)
        .update(status=Answer.Status.GRADING, grading_started_at=now)
    )
    return claimed == 1


def answer_release(*, answer_id: int, now: datetime | None = None) -> None:
    """Give a claim back after a passing failure; the stamp keeps the sweep away while the task retries."""
    Answer.objects.filter(pk=answer_id, status=Answer.Status.GRADING).update(
        status=Answer.Status.SUBMITTED, grading_started_at=now or timezone.now()
    )


def answer_grade(
    *, answer_id: int, force: bool = False, fallback: JudgeError | None = None, now: datetime | None = None
) -> Grade | None:
    """Grade one submitted answer with the configured judge and record the grade.

    Idempotent: an answer whose current grade was made for the same text and rubric is not graded again unless
    `force`. Returns None when the answer is not waiting for a grade or another worker has it. A passing
    LLM failure (JudgeUnavailable) gives the claim back and is raised for the task to retry; an unusable LLM
    reply, or `fallback` (the task's last retry failed), makes the offline judge grade, provisionally.
    """
    now = now or timezone.now()
    if not answer_claim(answer_id=answer_id, now=now):
        return None
    answer = Answer.objects.select_related("question").get(pk=answer_id)
    criteria = list(answer.question.rubric.all())
    misconceptions = list(answer.question.misconceptions.all())
    answer_hash = answer_text_hash(answer.text)
    rubric_hash = rubric_fingerprint(criteria, misconceptions)
    if not force:
        current = answer.grades.filter(
            is_current=True, answer_hash=answer_hash, rubric_hash=rubric_hash
        ).first()
        if current is not None:
            _answer_mark_graded(answer=answer)
            return current

    judge_input = judge_input_for_question(
        question=answer.question, criteria=criteria, misconceptions=misconceptions, answer_text=answer.text
    )
    result: GradeResult | None = None
    if fallback is None and not compact(answer.text):
        # Nothing to judge: no points, from the offline judge, without spending an LLM call.
        result = offline_judge().grade(judge_input)
    elif fallback is None:
        if settings.OPENAI_API_KEY:
            judge_input = judge_input_with_examples(
                judge_input, question_id=answer.question_id, rubric_hash=rubric_hash, answer_id=answer.pk
            )
        try:
            result = judge_get().grade(judge_input)
        except JudgeUnavailable:
            answer_release(answer_id=answer_id)
            raise
        except JudgeFailed as exc:
            logger.warning("LLM judge failed for answer %s, the offline judge grades: %s", answer_id, exc)
            fallback = exc
    if result is None:
        reason = fallback.flag if isinstance(fallback, JudgeFailed) else Flag.LLM_UNAVAILABLE
        offline = offline_judge().grade(judge_input)
        result = replace(offline, flags=(*offline.flags, str(reason)))
    return grade_record(
        answer=answer,
        result=result,
        rubric=judge_input.criteria,
        answer_hash=answer_hash,
        rubric_hash=rubric_hash,
        provisional=fallback is not None,
    )


@transaction.atomic
def grade_record(
    *,
    answer: Answer,
    result: GradeResult,
    rubric: tuple[CriterionInput, ...],
    answer_hash: str,
    rubric_hash: str,
    provisional: bool = False,
) -> Grade | None:
    """Write the grade of a claimed answer; it becomes current and earlier ones are kept. None: claim lost.

    `rubric` is what the judge graded against (the question's rubric, or points derived from its reference).
    """
    if not _answer_mark_graded(answer=answer):
        return None
    descriptions = {c.id: c.description for c in rubric}
    Grade.objects.filter(answer=answer, is_current=True).update(is_current=False)
    grade = Grade.objects.create(
        answer=answer,
        judge=result.judge,
        model=result.model,
        prompt_version=result.prompt_version,
        answer_hash=answer_hash,
        rubric_hash=rubric_hash,
        rubric_snapshot=[asdict(c) for c in rubric],
        score=result.score,
        max_score=result.max_score,
        criteria=[c.as_json(description=descriptions.get(c.id, "")) for c in result.criteria],
        feedback=result.feedback,
        misconceptions=list(result.misconceptions),
        flags=list(result.flags),
        # An uncertain grade stays provisional until a person confirms it.
        provisional=provisional or result.uncertain,
        confidence=result.confidence,
        uncertain=result.uncertain,
        judge_version=result.judge_version,
        tokens_in=result.tokens_in,
        tokens_out=result.tokens_out,
        latency_ms=result.latency_ms,
        cost_usd=result.cost_usd,
        audit=result.audit,
    )
    grade_current_announce(grade)
    return grade


def grade_current_announce(grade: Grade) -> None:
    """Tell listeners (e.g. spaced review) after commit; every way a grade becomes current calls this."""
    transaction.on_commit(lambda: grade_became_current.send(sender=Grade, grade=grade))


def _answer_mark_graded(*, answer: Answer) -> bool:
    """GRADING -> GRADED, and the attempt GRADED with its last answer; False if the claim was lost."""
    with transaction.atomic():
        # Answers of one attempt are marked one at a time, so the one marked last sees all the others graded.
        Attempt.objects.select_for_update().filter(pk=answer.attempt_id).first()
        done = Answer.objects.filter(pk=answer.pk, status=Answer.Status.GRADING).update(
            status=Answer.Status.GRADED, grading_started_at=None
        )
        ungraded = Answer.objects.filter(attempt_id=answer.attempt_id).exclude(status=Answer.Status.GRADED)
        if done and not ungraded.exists():
            Attempt.objects.filter(pk=answer.attempt_id, status=Attempt.Status.SUBMITTED).update(
                status=Attempt.Status.GRADED
            )
    return bool(done)


def answer_grading_failed(*, answer_id: int) -> None:
    """A grading that crashed (a bug, not an outage) leaves the answer failed, for an admin to regrade."""
    Answer.objects.filter(pk=answer_id, status=Answer.Status.GRADING).update(
        status=Answer.Status.FAILED, grading_started_at=None
    )


def grading_retry_delay(*, retries: int, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter, never sooner than the server's Retry-After."""
    ceiling = min(RETRY_MAX_SECONDS, settings.GRADING_RETRY_BASE_SECONDS * 2**retries)
    return min(RETRY_MAX_SECONDS, max(random.uniform(ceiling / 2, ceiling), retry_after or 0.0))


def answers_requeue_stale(*, now: datetime | None = None) -> int:
    """The sweep: queue again answers submitted but left ungraded (a lost message, a killed worker).

    Each is stamped, so it is queued again at most once per GRADING_STALE_MINUTES; an abandoned claim is
    released so that the new task can take it.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.GRADING_STALE_MINUTES)
    quiet = Q(grading_started_at__isnull=True) | Q(grading_started_at__lt=cutoff)
    stale = (
        Q(status=Answer.Status.SUBMITTED, submitted_at__lt=cutoff) | Q(status=Answer.Status.GRADING)
    ) & quiet
    # The broker refused them: no need to wait until they look abandoned.
    refused = Q(status=Answer.Status.SUBMITTED, enqueue_failed_at__isnull=False)
    with transaction.atomic():
        ids = list(
            Answer.objects.select_for_update(skip_locked=True)
            .filter(stale | refused)
            .values_list("pk", flat=True)
        )
        Answer.objects.filter(pk__in=ids).update(
            status=Answer.Status.SUBMITTED, grading_started_at=now, enqueue_failed_at=None
        )
        grading_enqueue(answer_ids=ids)
    if ids:
        logger.info("Sweep: %d ungraded answer(s) queued again", len(ids))
    return len(ids)


def answer_regrade(*, answer: Answer) -> bool:
    """Grade a graded (or failed) answer again with the current rubric and judge; earlier grades are kept."""
    return _regrade(Answer.objects.filter(pk=answer.pk)) == 1


def question_regrade(*, question: Question) -> int:
    """Grade again every graded (or failed) answer to a question; returns how many were queued."""
    return _regrade(Answer.objects.filter(question=question))


def answers_regrade_after_llm_outage(*, now: datetime | None = None, limit: int = 100) -> int:
    """The sweep: with an LLM configured, grade again answers whose current grade is the offline judge's
    provisional stand-in for an LLM that was unavailable, once that grade is LLM_RECHECK_MINUTES old.

    While the LLM is still down the regrade falls back again and its new stand-in waits its turn, so an outage
    costs one retry per answer and LLM_RECHECK_MINUTES, not one per sweep.
    """
    if not settings.OPENAI_API_KEY:
        return 0
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.LLM_RECHECK_MINUTES)
    stand_ins = Grade.objects.filter(
        is_current=True, provisional=True, judge=Grade.Judge.OFFLINE, created_at__lt=cutoff
    ).values_list("answer_id", "flags")
    # Flags are a JSON list: filtered here, since SQLite (the embedded default) has no JSON containment.
    ids = [answer_id for answer_id, flags in stand_ins[: limit * 4] if Flag.LLM_UNAVAILABLE in flags][:limit]
    queued = _regrade(Answer.objects.filter(pk__in=ids)) if ids else 0
    if queued:
        logger.info("Sweep: %d answer(s) graded offline during an LLM outage queued for the LLM", queued)
    return queued


def answers_regrade(*, answers: QuerySet[Answer]) -> int:
    """Grade again the graded (or failed) answers among `answers`; returns how many were queued."""
    return _regrade(answers)


def _regrade(answers: QuerySet[Answer]) -> int:
    with transaction.atomic():
        done = Q(status__in=[Answer.Status.GRADED, Answer.Status.FAILED])
        ids = list(answers.select_for_update().filter(done).values_list("pk", flat=True))
        # Stamped, so that the sweep leaves them to the forced task queued here.
        Answer.objects.filter(pk__in=ids).update(
            status=Answer.Status.SUBMITTED, grading_started_at=timezone.now()
        )
        grading_enqueue(answer_ids=ids, force=True)
    return len(ids)
