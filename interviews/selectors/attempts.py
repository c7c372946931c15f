"""Reads for the interview pages. Page queries are constant in the number of questions (prefetching)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import AnyUser
from interviews.grading.types import Flag, Verdict
from interviews.models import Answer, Appeal, Attempt, Grade, ReviewTiming, Session
from questionbank.models import Question

ANSWER_STATES = {
    "not_started": _("Not started"),
    "draft": _("Draft saved"),
    "submitted": _("Submitted"),
    "graded": _("Graded"),
    "failed": _("Grading failed"),
}

VERDICTS: dict[Verdict, StrPromise] = {"met": _("Met"), "partial": _("Partly met"), "missed": _("Missed")}
FLAGS: dict[str, StrPromise] = {
    Flag.EMPTY: _("Empty answer"),
    Flag.OFF_TOPIC: _("Off topic"),
    Flag.FILLER: _("Text unrelated to the question earned nothing"),
    Flag.INJECTION: _("Instructions to the grader were ignored"),
    Flag.TRUNCATED: _("Answer was truncated for grading"),
    Flag.EVIDENCE_NOT_FOUND: _("A quote the grader gave is not in the answer: that point was marked missed"),
    Flag.EVIDENCE_UNSUPPORTED: _(
        "A quote the grader gave does not show its point: that point was marked down"
    ),
    Flag.JUDGES_DISAGREE: _("The LLM grader and the offline grader disagree: a person will check this grade"),
    Flag.UNSTABLE: _("The LLM grader's verdicts varied between tries: a person will check this grade"),
    Flag.LLM_UNAVAILABLE: _("The LLM grader was unavailable: graded offline"),
    Flag.LLM_INVALID_OUTPUT: _("The LLM grader's reply was unusable: graded offline"),
    Flag.LLM_REFUSED: _("The LLM grader refused: graded offline"),
}


@dataclass(frozen=True)
class AnswerRow:
    """An answer with its question and current grade, as the pages show it."""

    answer: Answer
    grade: Grade | None

    @property
    def question(self) -> Question:
        return self.answer.question

    @property
    def planned_seconds(self) -> int:
        """The interviewer's time for this question where they set one, else the question's suggested time."""
        item = self.answer.item
        return item.time_seconds if item and item.time_seconds else self.question.suggested_seconds

    @property
    def is_over_time(self) -> bool:
        return self.answer.seconds_spent > self.planned_seconds

    @property
    def time_is_planned(self) -> bool:
        return bool(self.answer.item and self.answer.item.time_seconds)

    @property
    def state(self) -> str:
        status = self.answer.status
        if status == Answer.Status.DRAFT:
            return "draft" if self.answer.saved_at else "not_started"
        if status == Answer.Status.GRADED and self.grade:
            return "graded"
        if status == Answer.Status.FAILED:
            return "failed"
        return "submitted"

    @property
    def state_label(self) -> str:
        return str(ANSWER_STATES[self.state])

    @property
    def is_final(self) -> bool:
        return self.state in ("graded", "failed")

    @property
    def criteria(self) -> list[dict[str, object]]:
        """The grade's per rubric point results, with the verdict in words."""
        if not self.grade:
            return []
        appeals = self.appeals
        return [
            {
                **c,
                "verdict_label": VERDICTS.get(c.get("verdict", "missed"), ""),
                "appeal": appeals.get(str(c.get("criterion_id"))),
            }
            for c in self.grade.criteria
        ]

    @property
    def appeals(self) -> dict[str, Appeal]:
        """The answer's appeals by rubric point (prefetched by `attempt_results`)."""
        return {appeal.criterion_id: appeal for appeal in self.answer.appeals.all()}

    @property
    def reviewed_by_person(self) -> bool:
        return bool(self.grade and self.grade.judge == Grade.Judge.HUMAN)

    @property
    def grader_label(self) -> str:
        """Who graded, in words a candidate understands: an offline estimate, a named model, or a person."""
        if not self.grade:
            return ""
        if self.grade.judge == Grade.Judge.LLM:
            return _("LLM judge (%(model)s)") % {"model": self.grade.model}
        if self.grade.judge == Grade.Judge.HUMAN:
            return str(_("Graded by a person"))
        return str(_("Offline estimate"))

    @property
    def grader_help(self) -> str:
        """What the grader label means, for the candidate who wonders."""
        if not self.grade or self.grade.judge == Grade.Judge.HUMAN:
            return ""
        if self.grade.judge == Grade.Judge.LLM:
            return str(_("A language model compared your answer with each key point of the rubric."))
        return str(
            _(
                "The built-in grader, without a language model, compared what your answer states with each "
                "key point: an estimate, which a person can review."
            )
        )

    @property
    def flags(self) -> list[str]:
        return [str(FLAGS.get(flag, flag)) for flag in self.grade.flags] if self.grade else []

    @property
    def met_count(self) -> int:
        return sum(c.get("verdict") == "met" for c in self.grade.criteria) if self.grade else 0

    @property
    def partial_count(self) -> int:
        return sum(c.get("verdict") == "partial" for c in self.grade.criteria) if self.grade else 0

    @property
    def is_empty(self) -> bool:
        """Graded as no answer at all: nothing to appeal, nothing to say but that (in the viewer's words)."""
        return bool(self.grade and Flag.EMPTY in self.grade.flags)

    @property
    def regrade(self) -> RegradeNote | None:
        """When the current grade replaced an earlier one: when and why (earlier grades prefetched)."""
        earlier = getattr(self.answer, "earlier", None)
        if not self.grade or not earlier:
            return None
        return RegradeNote.between(previous=earlier[0], current=self.grade)

    @property
    def max_score(self) -> Decimal:
        if self.grade:
            return self.grade.max_score
        return Decimal(self.question.rubric_total)


@dataclass(frozen=True)
class RegradeNote:
    """What a candidate is told when their score changed after the first grade."""

    at: datetime
    reason: str
    earlier_score: Decimal
    earlier_max: Decimal

    @classmethod
    def between(cls, *, previous: Grade, current: Grade) -> RegradeNote:
        if current.judge == Grade.Judge.HUMAN:
            reason = _("a person reviewed the grade")
        elif current.rubric_hash != previous.rubric_hash:
            reason = _("the question's rubric was changed")
        elif (current.judge, current.model, current.judge_version) != (
            previous.judge,
            previous.model,
            previous.judge_version,
        ):
            reason = _("the grader was updated")
        elif previous.provisional:
            reason = _("the first grade was provisional")
        else:
            reason = _("an administrator asked for it to be graded again")
        return cls(
            at=current.created_at,
            reason=str(reason),
            earlier_score=previous.score,
            earlier_max=previous.max_score,
        )


@dataclass(frozen=True)
class AttemptResults:
    attempt: Attempt
    rows: list[AnswerRow]

    @property
    def graded(self) -> int:
        return sum(row.state == "graded" for row in self.rows)

    @property
    def all_final(self) -> bool:
        return all(row.is_final for row in self.rows)

    @property
    def pending(self) -> str:
        """Positions still waiting for a grade, as the polling URL carries them."""
        return ",".join(str(row.answer.position) for row in self.rows if not row.is_final)

    @property
    def score(self) -> Decimal:
        return sum((row.grade.score for row in self.rows if row.grade), Decimal(0))

    @property
    def max_score(self) -> Decimal:
        return sum((row.max_score for row in self.rows), Decimal(0))

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.max_score) if self.max_score else 0

    @property
    def seconds_used(self) -> int:
        return attempt_seconds_used(attempt=self.attempt)


def attempt_get_for_candidate(*, candidate: User, attempt_id: int) -> Attempt:
    """The candidate's own attempt; anyone else's is a 404, not a 403, so that ids reveal nothing."""
    return get_object_or_404(Attempt.objects.select_related("session"), pk=attempt_id, candidate=candidate)


def answer_get_for_candidate(*, candidate: User, attempt_id: int, position: int) -> Answer:
    answers = Answer.objects.select_related("attempt__session", "question")
    return _candidates_answer(answers, candidate=candidate, attempt_id=attempt_id, position=position)


def answer_get_for_save(*, candidate: User, attempt_id: int, position: int) -> Answer:
    """As `answer_get_for_candidate`, for autosave (every few seconds for every candidate): with its attempt,
    without its question or the text it is about to replace."""
    answers = Answer.objects.select_related("attempt").defer("text")
    return _candidates_answer(answers, candidate=candidate, attempt_id=attempt_id, position=position)


def _candidates_answer(
    answers: QuerySet[Answer], *, candidate: User, attempt_id: int, position: int
) -> Answer:
    """The candidate's own answer; anyone else's is a 404."""
    return get_object_or_404(answers, attempt_id=attempt_id, attempt__candidate=candidate, position=position)


def attempt_answer_rows(*, attempt: Attempt, with_rubric: bool = False) -> list[AnswerRow]:
    """Every answer of the attempt in order, in three or four queries whatever their number."""
    current = Prefetch("grades", queryset=Grade.objects.filter(is_current=True), to_attr="current")
    answers = (
        Answer.objects.filter(attempt=attempt).select_related("question", "item").prefetch_related(current)
    )
    if with_rubric:
        answers = answers.prefetch_related("question__rubric", "appeals")
        answers = answers.prefetch_related(_earlier_grades())
    return [AnswerRow(answer=a, grade=a.current[0] if a.current else None) for a in answers]


def _earlier_grades() -> Prefetch:
    earlier = Grade.objects.filter(is_current=False).order_by("-created_at")
    return Prefetch("grades", queryset=earlier, to_attr="earlier")


def answer_row(*, answer: Answer) -> AnswerRow:
    """One answer with its current grade (and earlier ones), for coaching mode's grade after each answer."""
    grades = list(answer.grades.order_by("-is_current", "-created_at"))
    current = grades[0] if grades and grades[0].is_current else None
    answer.earlier = [g for g in grades if not g.is_current]  # type: ignore[attr-defined]
    return AnswerRow(answer=answer, grade=current)


def answer_feedback_visible(*, session: Session, answer: Answer) -> bool:
    """Coaching mode shows a submitted answer's grade on the interview page, before the session ends."""
    return session.review_feedback == ReviewTiming.AFTER_ANSWER and not answer.is_draft


def attempt_results(*, attempt: Attempt) -> AttemptResults:
    return AttemptResults(attempt=attempt, rows=attempt_answer_rows(attempt=attempt, with_rubric=True))


def attempt_pending_positions(*, attempt: Attempt) -> set[int]:
    """Positions of the answers still waiting for a grade (neither graded nor failed): what a poll awaits."""
    final = (Answer.Status.GRADED, Answer.Status.FAILED)
    return set(attempt.answers.exclude(status__in=final).values_list("position", flat=True))


def attempt_seconds_used(*, attempt: Attempt) -> int:
    """Wall time from start to finish, capped at the deadline (the sweep may finish an attempt late)."""
    end = min(attempt.finished_at or timezone.now(), attempt.deadline)
    return max(0, int((end - attempt.started_at).total_seconds()))


def attempts_for_candidate(*, candidate: User) -> QuerySet[Attempt]:
    current = Q(answers__grades__is_current=True)
    return (
        Attempt.objects.filter(candidate=candidate)
        .select_related("session")
        # The practice titles are built from these (interviews.titles).
        .prefetch_related("session__practice_topics", "session__items__question")
        .annotate(
            questions=Count("answers", distinct=True),
            graded=Count("answers", filter=Q(answers__status=Answer.Status.GRADED), distinct=True),
            score=Sum("answers__grades__score", filter=current),
            max_score=Sum("answers__grades__max_score", filter=current),
        )
        .order_by("-started_at")
    )


def answers_submitted_by(*, candidate: AnyUser) -> QuerySet[Answer]:
    """Every answer the candidate has submitted (graded or not), for what the catalogue shows them."""
    if not candidate.is_authenticated:
        return Answer.objects.none()
    return Answer.objects.filter(attempt__candidate_id=candidate.pk).exclude(status=Answer.Status.DRAFT)


def answer_next_draft_position(*, attempt: Attempt) -> int | None:
    """The first question of the attempt still open for writing, if any."""
    return (
        attempt.answers.filter(status=Answer.Status.DRAFT)
        .order_by("position")
        .values_list("position", flat=True)
        .first()
    )
