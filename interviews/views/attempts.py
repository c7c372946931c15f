"""The candidate's interview screens: the timed interview, results, past attempts.

Every form works without JavaScript; with htmx, autosave, preview and grade polling swap fragments of the same
templates (`{% partialdef %}`).
"""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from accounts.http import AuthenticatedHttpRequest
from accounts.throttle import rate
from interviews.clock import clock_time
from interviews.models import Answer, Attempt, ReviewTiming
from interviews.selectors import attempts as selectors
from interviews.selectors.history import question_grade_history
from interviews.selectors.references import questions_with_reference_open
from interviews.services import attempts as attempt_services
from questionbank.markdown import render_answer

# A refused write answers 422 when the candidate can fix it (too long), 409 when the state forbids it.
_REFUSAL_STATUS = {
    attempt_services.TOO_LONG: 422,
    attempt_services.LATE: 409,
    attempt_services.LOCKED: 409,
    attempt_services.CHANGED_ELSEWHERE: 409,
}


@login_required
@require_GET
def attempt_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    attempts = selectors.attempts_for_candidate(candidate=request.user)
    page = Paginator(attempts, 20).get_page(request.GET.get("page"))
    return render(request, "interviews/attempt_list.html", {"page": page})


@login_required
@require_GET
@never_cache  # Back to a finished interview asks the server again, which shows the results, not a stale page.
def attempt_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_candidate(request, pk)
    _finish_if_overdue(request, attempt)
    if not attempt.is_open:
        return redirect("attempt_results", pk=attempt.pk)
    return _render_interview(request, attempt, _whole_number(request.GET.get("q")))


@login_required
@require_POST
@ratelimit(group="autosave", key="user", rate=rate("autosave"))
def answer_save(request: AuthenticatedHttpRequest, pk: int, position: int) -> HttpResponse:
    answer = selectors.answer_get_for_save(candidate=request.user, attempt_id=pk, position=position)
    text = request.POST.get("text", "")
    first_save = answer.saved_at is None
    try:
        attempt_services.answer_save_draft(
            answer=answer,
            text=text,
            seconds_spent=_whole_number(request.POST.get("seconds_spent")),
            saved_version=_whole_number(request.POST.get("saved_version")),
        )
    except ValidationError as exc:
        return _refused(request, answer, exc, text)
    if request.htmx:
        # The side list changes only when the question goes from "not started" to "draft".
        return _render_save_status(request, answer, with_side_list=first_save)
    assert answer.saved_at is not None
    messages.success(request, _("Draft saved at %(time)s.") % {"time": clock_time(answer.saved_at)})
    return _redirect_to_question(answer.attempt, answer.position)


@login_required
@require_POST
@ratelimit(group="submit", key="user", rate=rate("submit"))
def answer_submit(request: AuthenticatedHttpRequest, pk: int, position: int) -> HttpResponse:
    answer = _get_answer_for_candidate(request, pk, position)
    text = request.POST.get("text")
    try:
        submitted = attempt_services.answer_submit(
            answer=answer, text=text, seconds_spent=_whole_number(request.POST.get("seconds_spent"))
        )
    except ValidationError as exc:
        return _refused(request, answer, exc, text or "")
    if submitted:
        messages.success(request, _("Answer %(n)d submitted for grading.") % {"n": answer.position})
    attempt = answer.attempt
    if not submitted:  # submitted before, perhaps by a finish this request knows nothing of
        attempt.refresh_from_db(fields=["status", "finished_at"])
    if not attempt.is_open:
        return redirect("attempt_results", pk=attempt.pk)
    if attempt.session.review_feedback == ReviewTiming.AFTER_ANSWER:
        # Coaching: stay on the question, where its grade appears as soon as the worker has it.
        return _redirect_to_question(attempt, position)
    next_position = selectors.answer_next_draft_position(attempt=attempt)
    return _redirect_to_question(attempt, next_position or position)


@login_required
@require_GET
def answer_feedback(request: AuthenticatedHttpRequest, pk: int, position: int) -> HttpResponse:
    """Coaching mode's grade of one answer, polled by the interview page until it is graded."""
    answer = _get_answer_for_candidate(request, pk, position)
    attempt = answer.attempt
    if not selectors.answer_feedback_visible(session=attempt.session, answer=answer):
        raise Http404
    context = {"attempt": attempt, "row": selectors.answer_row(answer=answer)}
    if request.htmx:
        return render(request, "interviews/attempt_detail.html#coaching", context)
    return _redirect_to_question(attempt, position)


@login_required
@require_POST
@ratelimit(group="preview", key="user", rate=rate("autosave"))
def answer_preview(request: AuthenticatedHttpRequest, pk: int, position: int) -> HttpResponse:
    answer = _get_answer_for_candidate(request, pk, position)
    text = request.POST.get("text", "")
    preview = render_answer(text[: settings.ANSWER_MAX_CHARS])
    if request.htmx:
        return render(request, "interviews/attempt_detail.html#preview", {"preview": preview})
    return _render_interview(request, answer.attempt, position, text=text, preview=preview)


@login_required
@require_POST
def attempt_finish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Finish the interview. The answer form posts here too, so the open question's text is saved first."""
    attempt = _get_attempt_for_candidate(request, pk)
    position, text = _whole_number(request.POST.get("position")), request.POST.get("text")
    answer = _get_answer_for_candidate(request, pk, position) if position and text is not None else None
    try:
        outcome = attempt_services.attempt_finish_with_text(
            attempt=attempt,
            answer=answer,
            text=text,
            seconds_spent=_whole_number(request.POST.get("seconds_spent")),
        )
    except ValidationError as exc:
        return _render_interview(request, attempt, position, text=text, error=exc.messages[0], status=422)
    if outcome.warning:
        messages.warning(request, outcome.warning)
    if outcome.finished:
        messages.success(request, _("Interview finished: every answer is submitted for grading."))
    return redirect("attempt_results", pk=attempt.pk)


@login_required
@require_GET
def attempt_results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_candidate(request, pk)
    _finish_if_overdue(request, attempt)
    if attempt.is_open:
        messages.info(request, _("This interview is still running: finish it to see the results."))
        return redirect("attempt_detail", pk=attempt.pk)
    if request.htmx and "pending" in request.GET:
        waiting = {_whole_number(p) for p in request.GET["pending"].split(",")} - {None}
        if selectors.attempt_pending_positions(attempt=attempt) == waiting:
            # Nothing graded since the last poll: no content, and htmx polls again (one small query).
            return HttpResponse(status=HTTPStatus.NO_CONTENT)
    results = selectors.attempt_results(attempt=attempt)
    history = question_grade_history(
        candidate=request.user, question_ids=[row.answer.question_id for row in results.rows]
    )
    reference_open = questions_with_reference_open(
        candidate=request.user, question_ids=[row.answer.question_id for row in results.rows]
    )
    context = {
        "attempt": attempt,
        "results": results,
        "history": history,
        "reference_open": reference_open,
        "saved_texts": {row.answer.position: row.answer.text for row in results.rows},
    }
    if request.htmx:
        # The poll names the questions it waits for; those graded since come back as out-of-band cards.
        waiting = {_whole_number(p) for p in request.GET.get("pending", "").split(",")}
        context["newly_final"] = [r for r in results.rows if r.is_final and r.answer.position in waiting]
        return render(request, "interviews/attempt_results.html#poll", context)
    return render(request, "interviews/attempt_results.html", context)


def _get_attempt_for_candidate(request: AuthenticatedHttpRequest, pk: int) -> Attempt:
    return selectors.attempt_get_for_candidate(candidate=request.user, attempt_id=pk)


def _get_answer_for_candidate(request: AuthenticatedHttpRequest, pk: int, position: int) -> Answer:
    return selectors.answer_get_for_candidate(candidate=request.user, attempt_id=pk, position=position)


def _finish_if_overdue(request: AuthenticatedHttpRequest, attempt: Attempt) -> None:
    if attempt_services.attempt_finish_if_overdue(attempt=attempt):
        messages.info(request, _("Time is up: your last saved drafts were submitted."))


def _render_interview(
    request: AuthenticatedHttpRequest,
    attempt: Attempt,
    position: int | None,
    *,
    text: str | None = None,
    preview: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = selectors.attempt_answer_rows(attempt=attempt)
    if not rows:
        # An attempt with no questions (made by hand in the admin) has nothing to answer.
        messages.error(request, _("This interview has no questions."))
        return redirect("attempt_list")
    by_position = {row.answer.position: row for row in rows}
    if position not in by_position:
        drafts = [row for row in rows if row.answer.is_draft]
        position = (drafts or rows)[0].answer.position
    row = by_position[position]
    context = {
        "attempt": attempt,
        "rows": rows,
        "row": row,
        "text": row.answer.text if text is None else text,
        "preview": preview,
        "error": error,
        "previous": by_position.get(position - 1),
        "next": by_position.get(position + 1),
        "server_now": timezone.now(),
        "max_chars": settings.ANSWER_MAX_CHARS,
        "coaching": selectors.answer_feedback_visible(session=attempt.session, answer=row.answer),
    }
    return render(request, "interviews/attempt_detail.html", context, status=status)


def _render_save_status(
    request: AuthenticatedHttpRequest,
    answer: Answer,
    *,
    error: str | None = None,
    code: str | None = None,
    status: int = 200,
    with_side_list: bool = False,
) -> HttpResponse:
    """The save status line; `with_side_list` adds the question's side-list item, swapped out of band."""
    attempt = answer.attempt
    context = {
        "attempt": attempt,
        "row": selectors.AnswerRow(answer=answer, grade=None),
        "error": error,
        "changed_elsewhere": code == attempt_services.CHANGED_ELSEWHERE,
        "oob": with_side_list,
    }
    return render(request, "interviews/attempt_detail.html#save_status", context, status=status)


def _refused(
    request: AuthenticatedHttpRequest, answer: Answer, exc: ValidationError, text: str
) -> HttpResponse:
    """A refused save or submit: the message is shown and the text stays where the candidate typed it."""
    message, status = exc.messages[0], _REFUSAL_STATUS.get(exc.code or "", 409)
    attempt = answer.attempt
    if request.htmx:
        return _render_save_status(request, answer, error=message, code=exc.code, status=status)
    if exc.code in (attempt_services.TOO_LONG, attempt_services.CHANGED_ELSEWHERE):  # the text stays
        return _render_interview(request, attempt, answer.position, text=text, error=message, status=status)
    messages.error(request, message)
    if attempt.is_open:
        return _redirect_to_question(attempt, answer.position)
    return redirect("attempt_results", pk=attempt.pk)


def _redirect_to_question(attempt: Attempt, position: int) -> HttpResponse:
    return redirect(f"{reverse('attempt_detail', args=[attempt.pk])}?q={position}")


def _whole_number(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number >= 0 else None
