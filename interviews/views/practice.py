"""Practice set-up: the candidate picks topics, difficulty, number of questions, time and mode, and starts;
or starts one question from its page, tries a graded answer again, or repeats a set."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from interviews.forms import PracticeForm
from interviews.selectors import attempts as selectors
from interviews.services import practice
from questionbank.models import Question, Topic
from questionbank.selectors import questions_published_matching, topics_with_published_questions


@login_required
@require_http_methods(["GET", "POST"])
def practice_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    topics = list(topics_with_published_questions())
    if request.method == "GET":
        form = PracticeForm(request.GET or None, topics=topics)
        if request.htmx:
            return render(request, "interviews/practice_new.html#match", {"matching": _matching(form)})
        return render(request, "interviews/practice_new.html", _practice_context(form, topics))

    data = request.POST.copy()
    take = data.get("take")
    if take:
        # "Start with the N that match": the offer made when fewer questions match than were asked for.
        data["count"] = take
    form = PracticeForm(data, topics=topics)
    mix = "mix" in data
    available = None
    if form.is_valid():
        try:
            attempt = practice.attempt_start_practice(
                candidate=request.user,
                topic_slugs=[] if mix else form.cleaned_data["topics"],
                difficulty="" if mix else form.cleaned_data["difficulty"],
                count=form.cleaned_data["count"],
                time_mode=form.cleaned_data["time_mode"],
                minutes=form.cleaned_data["minutes"],
                mode=form.cleaned_data["mode"] or practice.MODE_EXAM,
                reference_now=form.cleaned_data["reference_now"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            if exc.code == practice.TOO_FEW and exc.params:
                available = exc.params["available"]
        else:
            return redirect("attempt_detail", pk=attempt.pk)
    context = {**_practice_context(form, topics), "available": available, "mix": mix}
    return render(request, "interviews/practice_new.html", context, status=422)


@login_required
@require_POST
def practice_question(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The question page's "practise under a timer": a one-question attempt of that question."""
    question = get_object_or_404(Question, slug=slug, status=Question.Status.PUBLISHED)
    mode = request.POST.get("mode") or practice.MODE_COACHING
    try:
        attempt = practice.attempt_start_question(candidate=request.user, question=question, mode=mode)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("question_detail", slug=slug)
    return redirect("attempt_detail", pk=attempt.pk)


@login_required
@require_POST
def answer_retry(request: AuthenticatedHttpRequest, pk: int, position: int) -> HttpResponse:
    answer = selectors.answer_get_for_candidate(candidate=request.user, attempt_id=pk, position=position)
    try:
        attempt = practice.attempt_retry_answer(answer=answer)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("attempt_results", pk=pk)
    return redirect("attempt_detail", pk=attempt.pk)


@login_required
@require_POST
def attempt_repeat(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    original = selectors.attempt_get_for_candidate(candidate=request.user, attempt_id=pk)
    try:
        attempt = practice.attempt_repeat(attempt=original)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("attempt_detail", pk=pk)
    return redirect("attempt_detail", pk=attempt.pk)


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
    return questions_published_matching(
        topic_slugs=form.cleaned_data["topics"], difficulty=form.cleaned_data["difficulty"]
    ).count()
