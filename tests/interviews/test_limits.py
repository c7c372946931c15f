"""Limits on what one candidate can do: the one length rule, rate limits on autosave and submit, hourly
quotas on attempts and gradings."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from interviews.models import Answer, Attempt
from interviews.services.attempts import answer_length, answer_save_draft, attempt_start
from interviews.services.quotas import QUOTA
from interviews.tasks import grade_answer
from tests.interviews.factories import AnswerFactory, AttemptFactory, SessionFactory, SessionItemFactory


@pytest.fixture
def attempt(candidate) -> Attempt:
    """Two questions made by the factories: these tests need no real bank."""
    session = SessionFactory(owner=candidate)
    SessionItemFactory(session=session)
    SessionItemFactory(session=session)
    return attempt_start(candidate=candidate, session=session)


def _save_url(answer: Answer) -> str:
    return reverse("answer_save", args=[answer.attempt_id, answer.position])


def test_line_breaks_count_once_however_the_browser_sends_them(attempt: Attempt, settings) -> None:
    answer = attempt.answers.first()
    settings.ANSWER_MAX_CHARS = 100
    # 80 characters and 19 line breaks: 99 as typed, 118 if "\r\n" counted twice.
    text = "\r\n".join(["abcd"] * 20)

    answer_save_draft(answer=answer, text=text)

    answer.refresh_from_db()
    assert answer.text == "\n".join(["abcd"] * 20)
    assert answer_length(text) == 99


def test_the_length_rule_counts_code_points_not_utf16_units(settings) -> None:
    assert answer_length("𝔸𝔹ℂ 数学 😀") == 8
    assert answer_length("a\rb") == 3


def test_a_form_post_of_a_text_at_the_limit_with_crlf_is_accepted(client, attempt: Attempt, settings) -> None:
    settings.ANSWER_MAX_CHARS = 50
    answer = attempt.answers.first()
    client.force_login(attempt.candidate)
    at_limit = "\r\n".join(["x" * 9] * 5)  # 45 + 4 = 49 code points as typed

    response = client.post(
        reverse("answer_submit", args=[attempt.pk, answer.position]), {"text": at_limit + "y"}
    )

    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.status == Answer.Status.SUBMITTED and answer.text.count("\r") == 0


def test_autosave_past_its_rate_gets_429_and_an_htmx_message(
    client, attempt: Attempt, rate_limits, settings
) -> None:
    settings.RATELIMITS = {**settings.RATELIMITS, "autosave": "3/m"}
    answer = attempt.answers.first()
    client.force_login(attempt.candidate)
    for n in range(3):
        assert (
            client.post(_save_url(answer), {"text": f"v{n}"}, headers={"hx-request": "true"}).status_code
            == 200
        )

    refused = client.post(_save_url(answer), {"text": "v3"}, headers={"hx-request": "true"})

    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    html = refused.content.decode()
    assert 'id="rate-limited"' in html and "<html" not in html
    answer.refresh_from_db()
    assert answer.text == "v2"


def test_submit_past_its_rate_gets_the_429_page(client, attempt: Attempt, rate_limits, settings) -> None:
    settings.RATELIMITS = {**settings.RATELIMITS, "submit": "1/m"}
    first, second = attempt.answers.all()[:2]
    client.force_login(attempt.candidate)
    with mock.patch.object(grade_answer, "apply_async"):
        client.post(reverse("answer_submit", args=[attempt.pk, first.position]), {"text": "a"})
        refused = client.post(reverse("answer_submit", args=[attempt.pk, second.position]), {"text": "b"})

    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    second.refresh_from_db()
    assert second.is_draft


def test_a_candidate_past_the_hours_attempts_cannot_start_another(candidate, settings) -> None:
    settings.QUOTA_ATTEMPTS_PER_HOUR = 2
    session = SessionFactory(owner=candidate)
    SessionItemFactory(session=session)
    attempt_start(candidate=candidate, session=session)
    attempt_start(candidate=candidate, session=session)

    with pytest.raises(ValidationError) as refused:
        attempt_start(candidate=candidate, session=session)

    assert refused.value.code == QUOTA
    assert "2 interviews in the last hour" in refused.value.messages[0]


def test_a_candidate_past_the_hours_gradings_cannot_start_another_but_empty_answers_do_not_count(
    candidate, settings
) -> None:
    settings.QUOTA_GRADINGS_PER_HOUR = 3
    done = AttemptFactory(candidate=candidate, finished=True)
    for _ in range(5):
        AnswerFactory(attempt=done, status=Answer.Status.SUBMITTED, text="")
    session = SessionFactory(owner=candidate)
    SessionItemFactory(session=session)
    attempt_start(candidate=candidate, session=session)  # five empty answers: nothing counted

    for _ in range(3):
        AnswerFactory(attempt=done, status=Answer.Status.SUBMITTED, text="a real answer")
    with pytest.raises(ValidationError) as refused:
        attempt_start(candidate=candidate, session=session)
    assert refused.value.code == QUOTA


def test_the_practice_page_says_why_a_start_was_refused(client, candidate, settings) -> None:
    settings.QUOTA_ATTEMPTS_PER_HOUR = 0
    SessionItemFactory()  # one published question in the bank
    client.force_login(candidate)

    response = client.post(
        reverse("practice_new"),
        {"count": 1, "time_mode": "total", "minutes": 10, "mix": "1", "mode": "exam"},
    )

    assert response.status_code == 422
    assert "in the last hour, the most allowed" in response.content.decode()
    assert not Attempt.objects.filter(candidate=candidate).exists()
