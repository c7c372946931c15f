"""A session's results table, its CSV, and one candidate's report (printable)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from hiring.export import results_csv
from hiring.permissions import attempt_get_for_interviewer, interviewer_required, session_get_for_interviewer
from hiring.selectors.results import SORTS, session_results
from interviews.selectors.agreement import agreement_for_session
from interviews.selectors.attempts import attempt_results

# Every row is built to sort by totals; a page renders this many.
ROWS_PER_PAGE = 50


@interviewer_required
@require_GET
def results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = session_get_for_interviewer(user=request.user, session_id=pk)
    sort = request.GET.get("sort", "started")
    descending = sort.startswith("-")
    sort = sort.lstrip("-")
    if sort not in SORTS:
        sort, descending = "started", False
    table = session_results(session=session, sort=sort, descending=descending)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "session": session,
        "table": table,
        "page": Paginator(table.rows, ROWS_PER_PAGE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "sort": sort,
        "descending": descending,
        "agreement": agreement_for_session(session=session),
    }
    if request.htmx:
        return render(request, "hiring/results.html#table", context)
    return render(request, "hiring/results.html", context)


@interviewer_required
@require_GET
def results_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = session_get_for_interviewer(user=request.user, session_id=pk)
    response = HttpResponse(
        results_csv(table=session_results(session=session)), content_type="text/csv; charset=utf-8"
    )
    # A Chinese title stays in the file's name (RFC 6266's filename*, which browsers read).
    name = slugify(session.title, allow_unicode=True) or f"session-{session.pk}"
    response["Content-Disposition"] = content_disposition_header(True, f"{name}-results.csv") or "attachment"
    return response


@interviewer_required
@require_GET
def candidate_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    attempt = attempt_get_for_interviewer(user=request.user, attempt_id=pk)
    return render(
        request, "hiring/report.html", {"attempt": attempt, "results": attempt_results(attempt=attempt)}
    )
