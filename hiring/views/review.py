"""The review queue, a person's grade of one answer (override), and rerunning the judge."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from hiring.forms import OverrideForm
from hiring.permissions import answer_get_for_interviewer, interviewer_required
from hiring.selectors.review import blind_alias, review_queue
from hiring.services.reviews import grade_override
from interviews.models import Answer, Grade
from interviews.services.grading import answer_regrade

BLIND_KEY = "hiring_blind_review"
ENTRIES_PER_PAGE = 50


@interviewer_required
@require_GET
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    if "blind" in request.GET:
        request.session[BLIND_KEY] = request.GET["blind"] == "1"
    blind = bool(request.session.get(BLIND_KEY))
    page = Paginator(review_queue(user=request.user, blind=blind), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "hiring/queue.html", {"page": page, "blind": blind})


@interviewer_required
@require_http_methods(["GET", "POST"])
def answer_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    answer = answer_get_for_interviewer(user=request.user, answer_id=pk)
    grades = list(answer.grades.select_related("graded_by").order_by("-created_at", "-pk"))
    current = next((g for g in grades if g.is_current), None)
    judged = next((g for g in grades if g.judge != Grade.Judge.HUMAN), None)
    appeals = list(answer.appeals.all())
    form = OverrideForm(
        request.POST or None,
        criteria=current.criteria if current else [],
        judged=judged.criteria if judged else [],
        appeals={a.criterion_id: a for a in appeals if a.is_open},
    )
    if request.method == "POST" and current is not None and form.is_valid():
        try:
            grade_override(
                answer=answer,
                reviewer=request.user,
                decisions=form.decisions(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request, _("Your grade is now the candidate's grade; the judge's is kept in the history.")
            )
            return redirect("hiring_queue")
    elif request.method == "POST":
        messages.error(request, _("The grade was not saved: please correct the fields marked below."))
    context = {
        "answer": answer,
        "grades": grades,
        "current": current,
        "form": form,
        "appeals": appeals,
        "blind": bool(request.session.get(BLIND_KEY)),
        "alias": blind_alias(user=request.user, answer=answer),
    }
    return render(request, "hiring/answer_review.html", context, status=422 if form.errors else 200)


@interviewer_required
@require_POST
def answer_regrade_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    answer: Answer = answer_get_for_interviewer(user=request.user, answer_id=pk)
    if answer_regrade(answer=answer):
        messages.success(request, _("The judge is grading this answer again with the current rubric."))
    else:
        messages.error(request, _("This answer is not graded yet, so it cannot be graded again."))
    return redirect("hiring_answer_review", pk=answer.pk)
