"""Practice set-up: the candidate picks topics, difficulty, number of questions and time, and starts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from interviews.forms import PracticeForm
from interviews.services.practice import attempt_start_practice
from questionbank.models import Topic
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

    form = PracticeForm(request.POST, topics=topics)
    mix = "mix" in request.POST
    if form.is_valid():
        try:
            attempt = attempt_start_practice(
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
    return questions_published_matching(
        topic_slugs=form.cleaned_data["topics"], difficulty=form.cleaned_data["difficulty"]
    ).count()
