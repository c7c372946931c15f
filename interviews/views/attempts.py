"""The candidate's interview screens: practice set-up, the timed interview, results, past attempts.

Every form works without JavaScript; with htmx, autosave, preview and grade polling swap fragments of the same
templates (`{% partialdef %}`).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from interviews import selectors
from interviews.models import Answer, Attempt
from interviews.services import attempts as attempt_services
from questionbank.markdown import render_markdown
from questionbank.models import Question, Topic

# A refused write answers 422 when the candidate can fix it (too long), 409 when the state forbids it.
_REFUSAL_STATUS = {attempt_services.TOO_LONG: 422, attempt_services.LATE: 409, attempt_services.LOCKED: 409}


class PracticeForm(forms.Form):
    topics = forms.MultipleChoiceField(label=gettext_lazy("Topics"), required=False)
    difficulty = forms.ChoiceField(
        label=gettext_lazy("Difficulty"),
        required=False,
        choices=[("", gettext_lazy("Any")), *Question.Difficulty.choices],
    )
    count = forms.IntegerField(
        label=gettext_lazy("Number of questions"),
        min_value=1,
        max_value=attempt_services.PRACTICE_MAX_QUESTIONS,
        initial=5,
    )
    time_mode = forms.ChoiceField(
        label=gettext_lazy("Time limit"),
        choices=[
            (attempt_services.TIME_MODE_TOTAL, gettext_lazy("Total time")),
            (attempt_services.TIME_MODE_SUGGESTED, gettext_lazy("The questions' suggested times")),
        ],
        initial=attempt_services.TIME_MODE_TOTAL,
    )
    minutes = forms.IntegerField(
        label=gettext_lazy("Minutes"),
        min_value=1,
        max_value=attempt_services.PRACTICE_MAX_MINUTES,
        initial=30,
        required=False,
    )

    def __init__(self, *args: object, topics: list[Topic], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [(t.slug, t.name) for t in topics]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("time_mode") == attempt_services.TIME_MODE_TOTAL and data.get("minutes") is None:
            self.add_error("minutes", _("Give the time limit in minutes."))
        return data


@login_required
@require_http_methods(["GET", "POST"])
def practice_new(request: HttpRequest) -> HttpResponse:
    topics = list(selectors.practice_topics())
    if request.method == "GET":
        form = PracticeForm(request.GET or None, topics=topics)
        if request.htmx:
            return render(request, "interviews/practice_new.html#match", {"matching": _matching(form)})
        return render(request, "interviews/practice_new.html", _practice_context(form, topics))

    form = PracticeForm(request.POST, topics=topics)
    mix = "mix" in request.POST
    if form.is_valid():
        try:
            attempt = attempt_services.attempt_start_practice(
                candidate=request.user,
                topic_slugs=[] if mix else form.cleaned_data["topics"],
                difficulty="" if mix else form.cleaned_data["difficulty"],
                count=form.cleaned_data["count"],
                time_mode=form.cleaned_data["time_mode"],
                minutes=form.cleaned_data["minutes"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("attempt_detail", pk=attempt.pk)
    return render(request, "interviews/practice_new.html", _practice_context(form, topics), status=422)


def _practice_context(form: PracticeForm, topics: list[Topic]) -> dict[str, object]:
    chosen = set(form["topics"].value() or [])
    return {
        "form": form,
        "topics": [(t, t.slug in chosen) for t in topics],
        "matching": _matching(form),
    }


def _matching(form: PracticeForm) -> int | None:
    """How many questions the chosen topics and difficulty offer, whatever the other fields say."""
    if not form.is_bound or (not form.is_valid() and {"topics", "difficulty"} & form.errors.keys()):
        return None
    return selectors.questions_published_matching(
        topic_slugs=form.cleaned_data["topics"], difficulty=form.cleaned_data["difficulty"]
    ).count()


@login_required
@require_GET
def attempt_list(request: HttpRequest) -> HttpResponse:
    attempts = selectors.attempts_for_candidate(candidate=request.user)
    page = Paginator(attempts, 20).get_page(request.GET.get("page"))
    return render(request, "interviews/attempt_list.html", {"page": page})


@login_required
@require_GET
def attempt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_candidate(request, pk)
    if not attempt.is_open or _close_if_overdue(request, attempt):
        return redirect("attempt_results", pk=attempt.pk)
    return _render_interview(request, attempt, _whole_number(request.GET.get("q")))


@login_required
@require_POST
def answer_save(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    answer = _get_answer_for_candidate(request, pk, position)
    text = request.POST.get("text", "")
    try:
        attempt_services.answer_save_draft(
            answer=answer, text=text, seconds_spent=_whole_number(request.POST.get("seconds_spent"))
        )
    except ValidationError as exc:
        return _refused(request, answer, exc, text)
    if request.htmx:
        return _render_save_status(request, answer)
    saved_at = time_format(timezone.localtime(answer.saved_at), "H:i:s")
    messages.success(request, _("Draft saved at %(time)s.") % {"time": saved_at})
    return _redirect_to_question(answer.attempt, answer.position)


@login_required
@require_POST
def answer_submit(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    answer = _get_answer_for_candidate(request, pk, position)
    text = request.POST.get("text")
    try:
        submitted = attempt_services.answer_submit(answer=answer, text=text)
    except ValidationError as exc:
        return _refused(request, answer, exc, text or "")
    if submitted:
        messages.success(request, _("Answer %(n)d submitted: it is being graded.") % {"n": answer.position})
    attempt = answer.attempt
    attempt.refresh_from_db(fields=["status", "finished_at"])
    if not attempt.is_open:
        return redirect("attempt_results", pk=attempt.pk)
    next_draft = attempt.answers.filter(status=Answer.Status.DRAFT).order_by("position").first()
    return _redirect_to_question(attempt, next_draft.position if next_draft else position)


@login_required
@require_POST
def answer_preview(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    answer = _get_answer_for_candidate(request, pk, position)
    text = request.POST.get("text", "")
    preview = render_markdown(text[: settings.ANSWER_MAX_CHARS])
    if request.htmx:
        return render(request, "interviews/attempt_detail.html#preview", {"preview": preview})
    return _render_interview(request, answer.attempt, position, text=text, preview=preview)


@login_required
@require_POST
def attempt_finish(request: HttpRequest, pk: int) -> HttpResponse:
    """Finish the interview. The answer form posts here too, so the open question's text is saved first."""
    attempt = _get_attempt_for_candidate(request, pk)
    position, text = _whole_number(request.POST.get("position")), request.POST.get("text")
    if attempt.is_open and position and text is not None:
        answer = _get_answer_for_candidate(request, pk, position)
        try:
            attempt_services.answer_save_draft(answer=answer, text=text)
        except ValidationError as exc:
            if exc.code == attempt_services.TOO_LONG and attempt.seconds_left() > 0:
                error = exc.messages[0]
                return _render_interview(request, attempt, position, text=text, error=error, status=422)
            if exc.code != attempt_services.LOCKED:
                messages.warning(request, exc.messages[0])
    if attempt_services.attempt_finish(attempt=attempt):
        messages.success(request, _("Interview finished: every answer is submitted and being graded."))
    return redirect("attempt_results", pk=attempt.pk)


@login_required
@require_GET
def attempt_results(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_candidate(request, pk)
    if attempt.is_open and not _close_if_overdue(request, attempt):
        messages.info(request, _("This interview is still running: finish it to see the results."))
        return redirect("attempt_detail", pk=attempt.pk)
    results = selectors.attempt_results(attempt=attempt)
    context = {"attempt": attempt, "results": results}
    if request.htmx:
        # The poll names the questions it waits for; those graded since come back as out-of-band cards.
        waiting = {_whole_number(p) for p in request.GET.get("pending", "").split(",")}
        context["newly_final"] = [r for r in results.rows if r.is_final and r.answer.position in waiting]
        return render(request, "interviews/attempt_results.html#poll", context)
    return render(request, "interviews/attempt_results.html", context)


def _get_attempt_for_candidate(request: HttpRequest, pk: int) -> Attempt:
    return selectors.attempt_get_for_candidate(candidate=request.user, attempt_id=pk)


def _get_answer_for_candidate(request: HttpRequest, pk: int, position: int) -> Answer:
    return selectors.answer_get_for_candidate(candidate=request.user, attempt_id=pk, position=position)


def _close_if_overdue(request: HttpRequest, attempt: Attempt) -> bool:
    """Finish an attempt whose time (plus grace) is up, without waiting for the sweep."""
    if not attempt.is_overdue(grace_seconds=settings.DEADLINE_GRACE_SECONDS):
        return False
    if attempt_services.attempt_finish(attempt=attempt):
        messages.info(request, _("Time is up: your last saved drafts were submitted."))
    return True


def _render_interview(
    request: HttpRequest,
    attempt: Attempt,
    position: int | None,
    *,
    text: str | None = None,
    preview: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = selectors.attempt_answer_rows(attempt=attempt)
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
    }
    return render(request, "interviews/attempt_detail.html", context, status=status)


def _render_save_status(
    request: HttpRequest, answer: Answer, *, error: str | None = None, status: int = 200
) -> HttpResponse:
    attempt = answer.attempt
    context = {
        "attempt": attempt,
        "row": selectors.AnswerRow(answer=answer, grade=None),
        "error": error,
        "oob": True,
    }
    return render(request, "interviews/attempt_detail.html#save_status", context, status=status)


def _refused(request: HttpRequest, answer: Answer, exc: ValidationError, text: str) -> HttpResponse:
    """A refused save or submit: the message is shown and the text stays where the candidate typed it."""
    message, status = exc.messages[0], _REFUSAL_STATUS.get(exc.code or "", 409)
    attempt = answer.attempt
    if exc.code == attempt_services.LATE:
        attempt_services.attempt_finish(attempt=attempt)
    if request.htmx:
        return _render_save_status(request, answer, error=message, status=status)
    if exc.code == attempt_services.TOO_LONG:
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
