"""The "why this score" page: interviewers of the session and admins read it; everyone else gets a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interviews.models import Grade
from tests.accounts.factories import InterviewerFactory
from tests.interviews.factories import AttemptFactory, GradeFactory, SessionFactory

pytestmark = pytest.mark.django_db

AUDIT = {
    "messages": [
        {"role": "system", "content": "You are a strict, fair grader"},
        {"role": "user", "content": "Q"},
    ],
    "samples": [{"seed": 0, "replies": ['{"criteria": []}'], "verdicts": {}, "checks": {}}],
    "agreement": 1.0,
    "offline": {"judge_version": "offline-2+iso", "fraction": 0.55, "verdicts": {}},
    "examples": ["12", "15"],
}


@pytest.fixture
def grade(interviewer, candidate) -> Grade:
    attempt = AttemptFactory(candidate=candidate, session=SessionFactory(owner=interviewer))
    criteria = [
        {
            "criterion_id": "1",
            "description": "说明 MQA 共享 K/V",
            "verdict": "met",
            "points": 2,
            "points_possible": 2,
            "evidence": "所有查询头共享一组 K/V",
            "comment": "",
            "reasoning": "The answer says every query head shares one K/V head.",
        }
    ]
    return GradeFactory(
        answer__attempt=attempt,
        judge=Grade.Judge.LLM,
        criteria=criteria,
        audit=AUDIT,
        judge_version="llm/grade-v4+ex-1a2b3c4d",
    )


def test_the_sessions_interviewer_sees_reasoning_messages_and_raw_replies(client, interviewer, grade) -> None:
    client.force_login(interviewer)
    page = client.get(reverse("grade_why", args=[grade.pk])).content.decode()
    assert "every query head shares one K/V head" in page
    assert "You are a strict, fair grader" in page
    assert "{&quot;criteria&quot;: []}" in page
    assert "55 %" in page
    assert "Answers graded by people, in the prompt</dt><dd>2 · llm/grade-v4+ex-1a2b3c4d" in page


def test_an_admin_sees_any_grade(client, admin_user, grade) -> None:
    client.force_login(admin_user)
    assert client.get(reverse("grade_why", args=[grade.pk])).status_code == 200


def test_the_candidate_and_other_interviewers_get_a_404(client, candidate, grade) -> None:
    url = reverse("grade_why", args=[grade.pk])
    client.force_login(candidate)
    assert client.get(url).status_code == 404
    client.force_login(InterviewerFactory())
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_grade_admin_links_to_why_this_score(client, admin_user, grade) -> None:
    client.force_login(admin_user)
    page = client.get(reverse("admin:interviews_grade_change", args=[grade.pk])).content.decode()
    assert f'href="{reverse("grade_why", args=[grade.pk])}"' in page
