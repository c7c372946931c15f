"""The candidate contests one rubric point from the results page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from interviews.selectors.attempts import answer_get_for_candidate
from interviews.services.appeals import appeal_create


@login_required
@require_POST
def answer_appeal(request: AuthenticatedHttpRequest, pk: int, position: int) -> HttpResponse:
    answer = answer_get_for_candidate(candidate=request.user, attempt_id=pk, position=position)
    try:
        appeal_create(
            answer=answer,
            criterion_id=request.POST.get("criterion", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Your appeal was sent: an interviewer will review this point."))
    return redirect(f"{reverse('attempt_results', args=[pk])}#result-{position}")
