"""Coaching mode, retry, the progress page and spaced review in headless Chromium (issue 12's "Show").

Grading is done here in the test the way the worker does it (a grade made current, then the signal), so that
the page's polling and the review schedule are seen to follow.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from interviews.models import Answer, Attempt, Grade
from interviews.services.grading import grade_current_announce
from progress.models import Card
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.interviews.factories import GradeFactory
from tests.questionbank.factories import QuestionFactory, TopicFactory

PASSWORD = "pw-candidate-1"  # tests/conftest.py
SHOTS = Path(os.environ.get("SHOTS_DIR", ARTIFACTS))
WIDE_FORMULA = (
    "$$\\mathrm{KV} = 2 \\times n_{\\text{layers}} \\times n_{\\text{kv heads}} \\times d_{\\text{head}} "
    "\\times \\text{seq len} \\times \\text{batch} \\times \\text{bytes per element} \\times \\text{beams}$$"
)


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 860}}


@pytest.fixture
def small_bank(transactional_db) -> list:
    inference = TopicFactory(slug="inference", name_zh="推理", name_en="Inference")
    attention = TopicFactory(slug="attention", name_zh="注意力机制", name_en="Attention")
    first = QuestionFactory(topics=[inference], prompt=f"估算 KV cache 的显存占用。\n\n{WIDE_FORMULA}")
    second = QuestionFactory(topics=[inference], prompt="为什么 GQA 能减少 KV cache？")
    QuestionFactory(topics=[attention], prompt="解释缩放点积注意力中的缩放因子。")
    return [first, second]


def shot(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5_000
    return path


def grade_now(answer: Answer, score: str) -> Grade:
    """What the worker does: the grade becomes current, then listeners hear of it."""
    answer.refresh_from_db()
    Answer.objects.filter(pk=answer.pk).update(status=Answer.Status.GRADING)
    Grade.objects.filter(answer=answer, is_current=True).update(is_current=False)
    grade = GradeFactory(answer=answer, score=Decimal(score), max_score=Decimal(10), feedback="要点齐全。")
    grade_current_announce(grade)
    Attempt.objects.filter(pk=answer.attempt_id).exclude(answers__status__in=["submitted", "draft"]).update(
        status=Attempt.Status.GRADED
    )
    return grade


def submit(page: Page, text: str) -> None:
    page.locator("#answer-text").fill(text)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form#answer-form button.primary").click()


def test_coaching_retry_progress_and_review(page: Page, live_server, small_bank, candidate) -> None:
    first_question = small_bank[0]
    log_in(page, live_server.url, candidate.username, PASSWORD)

    # Coaching mode at set-up.
    page.goto(f"{live_server.url}/practice/")
    page.locator("label.chip", has=page.locator("input[value=inference]")).click()
    page.fill("#id_count", "2")
    page.fill("#id_minutes", "10")
    page.locator("input[name=mode][value=coaching]").check()
    shot(page, "practice-setup-coaching-zh")
    page.locator(".practice-form .actions button.primary").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    attempt = Attempt.objects.get(candidate=candidate)
    position = attempt.answers.get(question=first_question).position

    # A wide display formula scrolls inside its box on a phone; the page itself does not scroll sideways.
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/?q={position}")
    page.set_viewport_size({"width": 390, "height": 844})
    formula = page.locator(".question .math.block").first
    expect(formula.locator(".katex")).to_be_visible()
    assert formula.evaluate("el => el.scrollWidth > el.clientWidth")
    assert formula.evaluate("el => { el.scrollLeft = 80; return el.scrollLeft > 0; }")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "coaching-question-phone")
    page.set_viewport_size({"width": 1280, "height": 860})

    # The grade of the first answer appears while the interview runs.
    submit(page, "KV cache 的大小是 2 × 层数 × KV 头数 × 头维度 × 序列长度 × batch × 字节数。")
    expect(page.locator("#coaching .spinner")).to_be_visible()
    timer_before = page.locator("#timer-value").inner_text()
    grade_now(attempt.answers.get(position=position), "6")
    expect(page.locator("#coaching .result-score")).to_contain_text("6", timeout=10_000)
    expect(page.locator("#coaching")).to_contain_text("要点齐全")
    expect(page.locator("#timer-value")).not_to_have_text(timer_before)
    attempt.refresh_from_db()
    assert attempt.is_open
    shot(page, "coaching-grade-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "coaching-grade-phone")
    page.set_viewport_size({"width": 1280, "height": 860})

    # The other question, which finishes the attempt.
    other = 3 - position
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/?q={other}")
    submit(page, "GQA 让多个查询头共享一组 K/V 头。")
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/results/$"))
    grade_now(attempt.answers.get(position=other), "4")

    # Try the first question again: the new grade is shown beside the earlier one.
    page.reload()
    page.locator(f"#result-{position} form.retry button").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    retry = Attempt.objects.filter(candidate=candidate).latest("started_at")
    assert retry.pk != attempt.pk
    submit(page, "KV cache = 2 × L × H_kv × d × S × B × bytes；GQA 和 MQA 通过减少 KV 头来压缩它。")
    expect(page).to_have_url(re.compile(rf"/attempts/{retry.pk}/results/$"))
    grade_now(retry.answers.get(), "9")
    page.reload()
    history = page.locator("#result-1 .history-list li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("6 / 10")
    expect(history.nth(1)).to_contain_text("9 / 10")
    shot(page, "retry-history-desktop")

    # The progress page, desktop and phone, in Chinese and in English.
    page.locator("nav.nav a[href='/progress/']").click()
    expect(page.locator("h1")).to_have_text("我的进步")
    expect(page.locator(".bar-row")).to_have_count(2)
    shot(page, "progress-desktop-zh")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "progress-phone-zh")
    page.locator("form.lang button[data-lang=en]").click()
    expect(page.locator("h1")).to_have_text("My progress")
    shot(page, "progress-phone-en")
    page.set_viewport_size({"width": 1280, "height": 860})
    shot(page, "progress-desktop-en")

    # Days later the weak question is due: "Review due (1)" starts it, and answering moves its schedule.
    card = Card.objects.get(candidate=candidate, question=small_bank[1])
    Card.objects.filter(pk=card.pk).update(due=timezone.now() - timedelta(hours=1))
    page.reload()
    review_button = page.locator("form[action='/progress/review/'] button")
    expect(review_button).to_contain_text("(1)")
    review_button.click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    review = Attempt.objects.filter(candidate=candidate).latest("started_at")
    assert [a.question_id for a in review.answers.all()] == [small_bank[1].pk]
    expect(page.locator(".interview-title h1")).to_have_text("Spaced review")
    submit(page, "GQA groups query heads to share K/V heads, so the cache shrinks by the group size.")
    expect(page).to_have_url(re.compile(rf"/attempts/{review.pk}/results/$"))
    grade_now(review.answers.get(), "8")
    card.refresh_from_db()
    assert card.reviews == 2 and card.due > timezone.now()  # was an hour ago
    page.goto(f"{live_server.url}/progress/")
    expect(review_button).to_contain_text("(0)")
    expect(page.locator("section[aria-labelledby=due-h]")).to_contain_text(
        timezone.localtime(card.due).strftime("%Y-%m-%d")
    )
    shot(page, "progress-after-review-en")
