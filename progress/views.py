"""The candidate's progress page and the start of a spaced review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from progress.charts import trend_chart
from progress.selectors import progress_dashboard
from progress.services import attempt_start_review


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    board = progress_dashboard(candidate=request.user)
    context = {"board": board, "chart": trend_chart(board.trend)}
    return render(request, "progress/dashboard.html", context)


@login_required
@require_POST
def review_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        attempt = attempt_start_review(candidate=request.user)
    except ValidationError as exc:
        messages.info(request, exc.messages[0])
        return redirect("progress")
    return redirect("attempt_detail", pk=attempt.pk)
