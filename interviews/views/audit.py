"""Why a grade is what it is: per point verdict, evidence and reasoning; the LLM's messages and replies."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from interviews.selectors.attempts import FLAGS, VERDICTS
from interviews.selectors.review import grade_get_for_reviewer


@login_required
@require_GET
def grade_why(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    grade = grade_get_for_reviewer(user=request.user, grade_id=pk)
    criteria = [{**c, "verdict_label": VERDICTS.get(c.get("verdict", "missed"), "")} for c in grade.criteria]
    flags = [FLAGS.get(flag, flag) for flag in grade.flags]
    return render(
        request,
        "interviews/grade_why.html",
        {"grade": grade, "criteria": criteria, "flags": flags, "audit": grade.audit},
    )
