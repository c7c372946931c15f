"""Nothing typed is lost at the deadline: a server error on the automatic finish is said and retried, and a
browser copy the server does not hold is shown on the results page to keep or discard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from interviews.models import Answer, Attempt
from interviews.services.attempts import answer_save_draft, attempt_finish, attempt_start
from tests.e2e.conftest import log_in
from tests.interviews.factories import SessionFactory, SessionItemFactory

PASSWORD = "pw-candidate-1"  # tests/conftest.py
SHOTS = Path("/tmp/shots/h14")


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 390, "height": 844}}


def _attempt(candidate, *, seconds: int) -> Attempt:
    session = SessionFactory(owner=candidate, title="deadline", time_limit_seconds=seconds)
    SessionItemFactory(session=session)
    return attempt_start(candidate=candidate, session=session)


def test_a_server_error_at_the_deadline_is_said_and_the_finish_retried(
    page: Page, live_server, candidate
) -> None:
    log_in(page, live_server.url, candidate.username, PASSWORD)
    attempt = _attempt(candidate, seconds=6)
    failures = []

    def fail_once(route: Route) -> None:
        if not failures:
            failures.append(route.request.url)
            route.fulfill(status=500, body="Server Error (500)")
        else:
            route.continue_()

    page.route(re.compile(r".*/finish/$"), fail_once)
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/")
    page.locator("#answer-text").fill("typed in the last seconds, never saved by autosave")

    expect(page.locator("#save-warning")).to_contain_text("error 500", timeout=15_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "finish-server-error.png"))
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/results/$"), timeout=15_000)

    assert len(failures) == 1
    answer = Answer.objects.get(attempt=attempt)
    assert answer.status == Answer.Status.SUBMITTED
    assert answer.text == "typed in the last seconds, never saved by autosave"


def test_a_browser_copy_the_server_lacks_is_shown_to_keep_and_a_matching_one_is_dropped(
    page: Page, live_server, candidate
) -> None:
    session = SessionFactory(owner=candidate, title="two questions")
    SessionItemFactory(session=session)
    SessionItemFactory(session=session)
    attempt = attempt_start(candidate=candidate, session=session)
    first, second = attempt.answers.order_by("position")
    answer_save_draft(answer=first, text="saved line one\nsaved line two")
    answer_save_draft(answer=second, text="the older saved draft")
    attempt_finish(attempt=attempt)
    log_in(page, live_server.url, candidate.username, PASSWORD)
    copies = {
        # The same text as saved (the browser's "\r\n" aside): the server holds it.
        f"mianshi:answer:{attempt.pk}:1": {"text": "saved line one\r\nsaved line two", "at": 1},
        f"mianshi:answer:{attempt.pk}:2": {"text": "the newer text that arrived too late", "at": 2},
    }
    page.evaluate(
        "copies => Object.entries(copies).forEach(([k, v]) => localStorage.setItem(k, JSON.stringify(v)))",
        copies,
    )

    page.goto(f"{live_server.url}/attempts/{attempt.pk}/results/")

    box = page.locator("#late-copies")
    expect(box).to_be_visible()
    expect(box.locator(".late-copy")).to_have_count(1)
    expect(box.locator("textarea")).to_have_value("the newer text that arrived too late")
    expect(box.locator("[data-download]")).to_have_attribute("download", f"answer-{attempt.pk}-2.txt")
    page.screenshot(path=str(SHOTS / "late-copy-results.png"), full_page=True)
    stored = page.evaluate("Object.keys(localStorage)")
    assert stored == [f"mianshi:answer:{attempt.pk}:2"]

    page.reload()  # kept until the candidate decides
    expect(box.locator(".late-copy")).to_have_count(1)
    box.locator("[data-discard]").click()
    expect(box).to_be_hidden()
    assert page.evaluate("Object.keys(localStorage)") == []
