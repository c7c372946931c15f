"""Markup typed by an interviewer (custom question, override comment), a candidate (answer, appeal reason)
or an admin's import file is shown as text on every page that renders it: builder, interview, results,
hiring results, report, queue and review, and the admin's import preview."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from hiring.services.invites import invite_attempt_start
from interviews.models import Attempt, Session
from interviews.services.attempts import answer_submit
from questionbank.models import Question
from tests.config.markup import XSS, assert_inert
from tests.interviews.factories import GradeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _custom_question(client: Client, session: Session) -> Question:
    data = {
        "prompt": f"Prompt {XSS}",
        "reference_answer": f"Reference {XSS}",
        "difficulty": "medium",
        "language": "en",
        "topic": "",
        "minutes": "5",
        "rubric-TOTAL_FORMS": "1",
        "rubric-INITIAL_FORMS": "0",
        "rubric-0-description": f"Point {XSS}",
        "rubric-0-points": "10",
        "wrong-TOTAL_FORMS": "1",
        "wrong-INITIAL_FORMS": "0",
        "wrong-0-claim": f"Claim {XSS}",
        "wrong-0-phrasings": XSS,
        "wrong-0-point": "1",
    }
    response = client.post(reverse("hiring_question_new", args=[session.pk]), data)
    assert response.status_code == 302
    return Question.objects.get(owner=session.owner)


def test_a_custom_question_appeal_and_override_full_of_markup_render_as_text(
    client: Client, interviewer, candidate
) -> None:
    session = Session.objects.create(
        owner=interviewer, kind=Session.Kind.INTERVIEW, title="Hire", time_limit_seconds=1200
    )
    client.force_login(interviewer)
    question = _custom_question(client, session)
    assert_inert(client.get(reverse("hiring_builder", args=[session.pk])).content.decode())

    attempt = invite_attempt_start(session=session, candidate=candidate)
    answer = attempt.answers.get()
    assert answer.question_id == question.pk
    client.force_login(candidate)
    assert_inert(client.get(reverse("attempt_detail", args=[attempt.pk])).content.decode())
    answer_submit(answer=answer, text=XSS)
    GradeFactory(answer=answer, feedback=XSS)
    Attempt.objects.filter(pk=attempt.pk).update(status=Attempt.Status.GRADED, finished_at=timezone.now())
    appeal = client.post(reverse("answer_appeal", args=[attempt.pk, 1]), {"criterion": "2", "reason": XSS})
    assert appeal.status_code == 302
    assert_inert(client.get(reverse("attempt_results", args=[attempt.pk])).content.decode())

    client.force_login(interviewer)
    for name, args in [
        ("hiring_results", [session.pk]),
        ("hiring_report", [attempt.pk]),
        ("hiring_queue", []),
        ("hiring_answer_review", [answer.pk]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert_inert(response.content.decode(), shown=name != "hiring_results")
    override = {
        "verdict_1": "met",
        "points_1": "4",
        "comment_1": XSS,
        "verdict_2": "partial",
        "points_2": "3",
        "comment_2": XSS,
        "comment": XSS,
    }
    response = client.post(reverse("hiring_answer_review", args=[answer.pk]), override)
    assert response.status_code == 302
    assert_inert(client.get(reverse("hiring_report", args=[attempt.pk])).content.decode())

    client.force_login(candidate)
    assert_inert(client.get(reverse("attempt_results", args=[attempt.pk])).content.decode())


def _yaml_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_RUBRIC = "".join(
    f"      - description: {_yaml_quoted(f'Point {n} ' + XSS)}\n        points: 2\n" for n in (1, 2, 3)
)
IMPORT_FILES = {
    "bank.csv": "prompt,reference_answer,difficulty\n" + f'"Why {XSS.replace(chr(34), chr(34) * 2)}?",'
    f'"Because {XSS.replace(chr(34), chr(34) * 2)}",easy\n',
    "bank.yaml": (
        "topic: attention\nquestions:\n  - slug: xss-question\n    difficulty: easy\n    language: en\n"
        "    suggested_seconds: 300\n    sources: []\n    sources_note: written for this test\n"
        f"    misconceptions:\n      - claim: {_yaml_quoted('Claim ' + XSS)}\n        phrasings: [wrong]\n"
        "        contradicts: 1\n"
        f"    prompt: {_yaml_quoted('Why ' + XSS + '?')}\n"
        f"    reference_answer: {_yaml_quoted('Because ' + XSS)}\n"
        f"    rubric:\n{_RUBRIC}"
    ),
    "bank.md": (
        f"1. Why is attention scaled {XSS}?\n\nBecause {XSS}\n\n"
        "2. How does RoPE extrapolate?\n\nIts angles grow past those seen in training\n\n"
        "3. What is a KV cache?\n\nKeys and values kept.\n"
    ),
}


IMPORT_COUNTS = {"bank.csv": 1, "bank.yaml": 1, "bank.md": 3}


@pytest.mark.parametrize("name", sorted(IMPORT_FILES))
def test_an_import_file_full_of_markup_previews_as_text(client: Client, admin_user, name: str) -> None:
    client.force_login(admin_user)
    document = SimpleUploadedFile(name, IMPORT_FILES[name].encode())

    page = client.post(reverse("admin:questionbank_question_import"), {"document": document}).content.decode()

    assert f"{IMPORT_COUNTS[name]} to create" in page
    assert_inert(page)
    assert Question.objects.count() == 0
