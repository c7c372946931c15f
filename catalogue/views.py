from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest, HtmxHttpRequest
from accounts.roles import is_interviewer
from catalogue.forms import CatalogueFilterForm
from catalogue.selectors import (
    question_list,
    question_reference_access,
    question_viewable,
    topic_list_with_counts,
)
from interviews.selectors.references import REFERENCE_HIDDEN_REASONS, ReferenceAccess
from questionbank.models import Question

PAGE_SIZE = 20


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    topics = topic_list_with_counts(user=request.user) if request.user.is_authenticated else []
    return render(request, "home.html", {"topics": topics})


@require_GET
@login_required
def catalogue(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET)
    questions = question_list(user=request.user, **form.filters())
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "topics": topic_list_with_counts(user=request.user),
        "difficulties": Question.Difficulty.choices,
        "statuses": Question.Status.choices,
        "is_interviewer": is_interviewer(request.user),
    }
    # A history restore after hx-push-url asks for the whole page, not the fragment.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "catalogue/catalogue.html#results" if partial else "catalogue/catalogue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@login_required
def question_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    question = _get_question_for_user(request, slug)
    access = question_reference_access(user=request.user, question=question)
    return render(
        request,
        "catalogue/question_detail.html",
        {
            "question": question,
            "reference_visible": access == ReferenceAccess.OPEN,
            "reference_hidden_reason": REFERENCE_HIDDEN_REASONS.get(access, ""),
            "is_interviewer": is_interviewer(request.user),
        },
    )


def _get_question_for_user(request: AuthenticatedHttpRequest, slug: str) -> Question:
    question = get_object_or_404(Question.objects.prefetch_related("topics", "rubric"), slug=slug)
    if not question_viewable(user=request.user, question=question):
        raise Http404
    return question
