"""Practice sessions a candidate sets up alone: chosen or random published questions under a time limit.

Two modes: an *exam* shows grades after the session; *coaching* shows each answer's grade and feedback (and
the reference, if chosen) as soon as it is graded, while the clock keeps running. Practice titles are not
stored: `interviews.titles.session_title` builds them from `practice_kind` in the viewer's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from interviews.models import Answer, Attempt, ReviewTiming, Session, SessionItem
from interviews.services.attempts import attempt_start
from questionbank.models import Question, Topic
from questionbank.selectors import questions_published_matching

# The limits of a practice: the form and the page read them from here.
PRACTICE_MAX_QUESTIONS = 20
PRACTICE_MAX_MINUTES = 240
TIME_MODE_TOTAL = "total"
TIME_MODE_SUGGESTED = "suggested"
MODE_EXAM = "exam"
MODE_COACHING = "coaching"
# ValidationError code when fewer questions match than asked for; params["available"] says how many do.
TOO_FEW = "too_few"


def review_timings(*, mode: str, reference_now: bool = True) -> tuple[str, str]:
    """(review_feedback, review_reference) of a practice in `mode`."""
    if mode == MODE_COACHING:
        return ReviewTiming.AFTER_ANSWER, (
            ReviewTiming.AFTER_ANSWER if reference_now else ReviewTiming.AFTER_SESSION
        )
    if mode == MODE_EXAM:
        return ReviewTiming.AFTER_SESSION, ReviewTiming.AFTER_SESSION
    raise ValidationError(_("Choose exam or coaching mode."), code="mode")


def attempt_start_practice(
    *,
    candidate: User,
    topic_slugs: Sequence[str],
    difficulty: str,
    count: int,
    time_mode: str,
    minutes: int | None,
    mode: str = MODE_EXAM,
    reference_now: bool = True,
    now: datetime | None = None,
) -> Attempt:
    """Pick `count` random published questions (no topics / no difficulty = any) and start a timed attempt.

    The time limit is `minutes` in total, or the sum of the questions' suggested times.
    """
    if not 1 <= count <= PRACTICE_MAX_QUESTIONS:
        raise ValidationError(
            _("Choose between 1 and %(max)d questions."), code="count", params={"max": PRACTICE_MAX_QUESTIONS}
        )
    if time_mode == TIME_MODE_TOTAL and (minutes is None or not 1 <= minutes <= PRACTICE_MAX_MINUTES):
        raise ValidationError(
            _("Choose a time limit between 1 and %(max)d minutes."),
            code="minutes",
            params={"max": PRACTICE_MAX_MINUTES},
        )
    if time_mode not in (TIME_MODE_TOTAL, TIME_MODE_SUGGESTED):
        raise ValidationError(_("Choose how the time limit is set."), code="time_mode")
    if difficulty and difficulty not in Question.Difficulty.values:
        raise ValidationError(_("Unknown difficulty."), code="difficulty")
    review_timings(mode=mode)

    topics = list(Topic.objects.filter(slug__in=topic_slugs))
    if len(topics) != len(set(topic_slugs)):
        raise ValidationError(_("Unknown topic."), code="topic")

    questions = questions_published_matching(topic_slugs=topic_slugs, difficulty=difficulty)
    chosen = list(questions.order_by("?")[:count])
    if not chosen:
        raise ValidationError(
            _("No published question matches this choice. Pick more topics or another difficulty."),
            code="no_match",
        )
    if len(chosen) < count:
        raise ValidationError(
            ngettext(
                "Only %(available)d published question matches this choice: start with it, "
                "or pick more topics or another difficulty.",
                "Only %(available)d published questions match this choice: start with these, "
                "or pick more topics or another difficulty.",
                len(chosen),
            ),
            code=TOO_FEW,
            params={"available": len(chosen)},
        )
    return attempt_start_questions(
        candidate=candidate,
        questions=chosen,
        practice_kind=Session.PracticeKind.TOPICS if topics else Session.PracticeKind.MIX,
        topics=topics,
        time_limit_seconds=minutes * 60 if time_mode == TIME_MODE_TOTAL and minutes else None,
        mode=mode,
        reference_now=reference_now,
        now=now,
    )


def attempt_start_questions(
    *,
    candidate: User,
    questions: Sequence[Question],
    practice_kind: str,
    topics: Sequence[Topic] = (),
    time_limit_seconds: int | None = None,
    mode: str = MODE_EXAM,
    reference_now: bool = True,
    title: str = "",
    now: datetime | None = None,
) -> Attempt:
    """Start a practice of exactly these questions, in this order; the time limit defaults to their suggested
    times. Every practice (set-up, one question, retry, repeat, spaced review) starts here."""
    feedback, reference = review_timings(mode=mode, reference_now=reference_now)
    limit = time_limit_seconds or sum(q.suggested_seconds for q in questions)
    with transaction.atomic():
        session = Session.objects.create(
            owner=candidate,
            kind=Session.Kind.PRACTICE,
            practice_kind=practice_kind,
            title=title[:200],
            time_limit_seconds=max(limit, 60),
            review_feedback=feedback,
            review_reference=reference,
        )
        session.practice_topics.set(topics)
        SessionItem.objects.bulk_create(
            SessionItem(session=session, question=q, order=i) for i, q in enumerate(questions, start=1)
        )
        return attempt_start(candidate=candidate, session=session, now=now)


def attempt_start_question(
    *, candidate: User, question: Question, mode: str = MODE_COACHING, now: datetime | None = None
) -> Attempt:
    """A one-question practice of `question` in its suggested time (the question page's timed practice, and
    "try again" on a graded answer)."""
    if question.status != Question.Status.PUBLISHED:
        raise ValidationError(_("This question is not published."), code="unpublished")
    return attempt_start_questions(
        candidate=candidate,
        questions=[question],
        practice_kind=Session.PracticeKind.QUESTION,
        mode=mode,
        now=now,
    )


def attempt_retry_answer(*, answer: Answer, now: datetime | None = None) -> Attempt:
    """Try a graded answer's question again, in coaching mode, so that the new grade comes at once."""
    if answer.status != Answer.Status.GRADED:
        raise ValidationError(_("Only a graded answer can be tried again."), code="not_graded")
    return attempt_start_question(candidate=answer.attempt.candidate, question=answer.question, now=now)


def attempt_repeat(*, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """The same questions again, in the same order, time and mode.

    Only a practice: an interviewer's session is theirs to hand out (its attempts allowed, its review options,
    its private questions), so a candidate cannot copy it into a practice."""
    if attempt.is_open:
        raise ValidationError(_("Finish this interview before repeating it."), code="open")
    session = attempt.session
    if session.kind != Session.Kind.PRACTICE:
        message = _("An interviewer's session cannot be repeated as a practice.")
        raise ValidationError(message, code="interview")
    questions = [a.question for a in attempt.answers.select_related("question").order_by("position")]
    if not questions:
        raise ValidationError(_("This session has no questions."), code="empty")
    return attempt_start_questions(
        candidate=attempt.candidate,
        questions=questions,
        practice_kind=session.practice_kind,
        topics=list(session.practice_topics.all()),
        time_limit_seconds=session.time_limit_seconds,
        mode=MODE_COACHING if session.review_feedback == ReviewTiming.AFTER_ANSWER else MODE_EXAM,
        reference_now=session.review_reference == ReviewTiming.AFTER_ANSWER,
        title=session.title,
        now=now,
    )
