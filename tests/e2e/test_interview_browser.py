"""A candidate takes timed interviews in headless Chromium: autosave, failed save, reload, the deadline."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from interviews.models import Answer, Attempt
from interviews.services.attempts import attempt_start
from questionbank.models import Question
from tests.e2e.conftest import log_in, screenshot, submit_log_in
from tests.interviews.factories import GradeFactory, SessionFactory, SessionItemFactory

PASSWORD = "pw-candidate-1"  # tests/conftest.py


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    """A browser that asks for Chinese, as most candidates' browsers do."""
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 860}}


def test_a_candidate_practises_loses_nothing_and_sees_the_results(
    page: Page, live_server, bank, candidate
) -> None:
    log_in(page, live_server.url, candidate.username, PASSWORD)

    # Set-up: two questions on two topics, twenty minutes.
    page.goto(f"{live_server.url}/practice/")
    page.locator("label.chip", has=page.locator("input[value=inference]")).click()
    page.locator("label.chip", has=page.locator("input[value=alignment]")).click()
    page.fill("#id_count", "2")
    page.fill("#id_minutes", "20")
    expect(page.locator("#match")).not_to_be_empty()
    screenshot(page, "practice-setup")
    page.locator("button.primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    attempt = Attempt.objects.get(candidate=candidate)
    answer_box = page.locator("#answer-text")
    expect(page.locator("#timer-value")).to_have_text(re.compile(r"^(20:00|19:5\d)$"))

    # Question 1: typing is autosaved about a second later, and the side list says so.
    answer_box.fill("第一题：KV cache 随序列长度线性增长。")
    expect(page.locator("#save-status time")).to_be_visible()
    expect(page.locator("#nav-1")).to_have_class(re.compile("state-draft"))

    # Reloading mid-answer, before the autosave fires, loses nothing.
    answer_box.fill("第一题：KV cache 随序列长度和 batch 线性增长，可以用 GQA 减少。")
    page.reload()
    expect(answer_box).to_have_value("第一题：KV cache 随序列长度和 batch 线性增长，可以用 GQA 减少。")
    expect(page.locator("#save-status time")).to_be_visible()

    # Question 2: the server goes unreachable for the autosave; the page warns and keeps the text.
    page.locator("#nav-2 a").click()
    expect(page).to_have_url(re.compile(r"\?q=2$"))
    blocked = "**/answers/2/save/"
    page.route(blocked, lambda route: route.abort())
    answer_box.fill("第二题：DPO 直接用偏好数据优化策略，不需要单独的奖励模型。")
    warning = page.locator("#save-warning")
    expect(warning).to_be_visible()
    expect(warning).to_have_class(re.compile("is-error"))
    expect(answer_box).to_have_value(re.compile("^第二题：DPO"))
    kept = page.evaluate(f"localStorage.getItem('mianshi:answer:{attempt.pk}:2')")
    assert "DPO 直接用偏好数据" in kept
    screenshot(page, "interview-save-failed")

    # While a retry is on its way, one message says so (not "saving…" beside "retrying in 2 s").
    pending = []
    page.unroute(blocked)
    page.route(blocked, lambda route: pending.append(route))
    retrying = page.locator("[data-interview]").get_attribute("data-msg-retrying")
    expect(warning).to_have_text(retrying, timeout=10_000)
    expect(page.locator("#save-status")).to_have_text("")
    for route in pending:
        route.abort()
    page.unroute(blocked)
    page.route(blocked, lambda route: route.abort())

    # Reopened while the server still has nothing (the page's last-chance beacon is lost too): the browser's
    # newer copy comes back into the box.
    page.evaluate("navigator.sendBeacon = () => false")
    page.reload()
    expect(answer_box).to_have_value(re.compile("^第二题：DPO"))
    assert attempt.answers.get(position=2).text == ""
    expect(warning).to_have_class(re.compile("is-error"))  # its save is retried, and still fails

    # The connection comes back: the retry saves it.
    page.unroute(blocked)
    expect(warning).to_be_hidden(timeout=15_000)
    expect(page.locator("#save-status time")).to_be_visible()
    assert attempt.answers.get(position=2).text.startswith("第二题：DPO")
    page.locator("#preview-button").click()
    expect(page.locator("#preview")).to_contain_text("DPO")
    screenshot(page, "interview-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "interview-phone")
    page.set_viewport_size({"width": 1280, "height": 860})

    # Finish: confirm, and the results page shows every answer, then the grades as they arrive.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("button.finish").click()
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/results/$"))
    expect(page.locator("article.result")).to_have_count(2)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    texts = dict(attempt.answers.values_list("position", "text"))
    assert texts[1].endswith("可以用 GQA 减少。") and texts[2].startswith("第二题：DPO")

    for answer in attempt.answers.all():
        GradeFactory(answer=answer, score="7.5", max_score="10")
    expect(page.locator("#summary .score-percent")).to_have_text("75%", timeout=10_000)
    expect(page.locator("#result-2 .criterion")).to_have_count(2)
    page.locator("#result-1 details.reference > summary").click()
    screenshot(page, "results-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "results-phone")
    page.goto(f"{live_server.url}/attempts/")
    expect(page.locator(".attempt-row")).to_have_count(1)
    screenshot(page, "attempt-list-phone")


def test_the_interview_finishes_by_itself_at_the_deadline(page: Page, live_server, bank, candidate) -> None:
    log_in(page, live_server.url, candidate.username, PASSWORD)
    attempt = _short_attempt(candidate, seconds=8)

    page.goto(f"{live_server.url}/attempts/{attempt.pk}/")
    page.locator("#answer-text").fill("时间快到了，先写下要点。")
    expect(page.locator("#timer")).to_have_class(re.compile("is-low"))

    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/results/$"), timeout=20_000)
    answer = Answer.objects.get(attempt=attempt)
    assert answer.status == Answer.Status.SUBMITTED
    assert answer.text == "时间快到了，先写下要点。"
    expect(page.locator("#result-1 .answer-text")).to_contain_text("先写下要点")


def test_offline_at_the_deadline_the_page_waits_for_the_network_then_shows_the_results(
    page: Page, live_server, bank, candidate
) -> None:
    log_in(page, live_server.url, candidate.username, PASSWORD)
    attempt = _short_attempt(candidate, seconds=6)

    page.goto(f"{live_server.url}/attempts/{attempt.pk}/")
    page.locator("#answer-text").fill("断网前已经保存的要点。")
    expect(page.locator("#save-status time")).to_be_visible()
    page.context.set_offline(True)

    offline_message = page.locator("[data-interview]").get_attribute("data-msg-time-up-offline")
    expect(page.locator("#save-warning")).to_have_text(offline_message, timeout=15_000)
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/$"))
    page.context.set_offline(False)

    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/results/$"), timeout=15_000)
    answer = Answer.objects.get(attempt=attempt)
    assert (answer.status, answer.text) == (Answer.Status.SUBMITTED, "断网前已经保存的要点。")


def test_the_question_clock_counts_against_the_interviewers_plan(
    page: Page, live_server, bank, candidate
) -> None:
    log_in(page, live_server.url, candidate.username, PASSWORD)
    session = SessionFactory(owner=candidate, title="计时练习", time_limit_seconds=1800)
    SessionItemFactory(
        session=session,
        question=Question.objects.filter(status=Question.Status.PUBLISHED).first(),
        time_seconds=60,
    )
    attempt = attempt_start(candidate=candidate, session=session)
    Answer.objects.filter(attempt=attempt).update(seconds_spent=56)

    page.goto(f"{live_server.url}/attempts/{attempt.pk}/")
    clock = page.locator("#question-clock")
    expect(clock).to_have_attribute("data-planned", "60")
    expect(clock.locator(".question-over")).to_be_hidden()
    # The page counts on from the time already spent; past the plan the clock turns and says so.
    expect(clock).to_have_class(re.compile("is-over"), timeout=10_000)
    expect(clock.locator(".question-over")).to_be_visible()
    expect(page.locator("#question-spent")).to_have_text(re.compile(r"^1:0\d$"))
    screenshot(page, "question-clock-over")


def test_text_typed_before_the_page_script_runs_is_saved(page: Page, live_server, bank, candidate) -> None:
    """A fast typist, or a browser putting text back on a reload, fills the box before the script listens."""
    log_in(page, live_server.url, candidate.username, PASSWORD)
    attempt = _short_attempt(candidate, seconds=600)
    script = re.compile(r"/static/js/interview[.\w]*\.js$")
    page.route(script, lambda route: route.abort())
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/")
    page.locator("#answer-text").fill("脚本加载之前写下的回答。")
    page.unroute(script)
    page.add_script_tag(url=page.locator("script[src*='/js/interview']").get_attribute("src"))

    expect(page.locator("#save-status time")).to_be_visible(timeout=10_000)
    assert Answer.objects.get(attempt=attempt).text == "脚本加载之前写下的回答。"


def test_logged_out_elsewhere_the_page_goes_to_log_in_and_back_and_keeps_the_text(
    page: Page, live_server, bank, candidate
) -> None:
    attempt = _open_attempt(page, live_server, candidate)
    answer_box = page.locator("#answer-text")
    answer_box.fill("登出之前保存的文字。")
    expect(page.locator("#save-status time")).to_be_visible()

    page.context.clear_cookies(name="sessionid")  # logged out in another tab, or the session expired
    answer_box.type("登出之后写的。", delay=20)

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="), timeout=10_000)
    submit_log_in(page, candidate.username, PASSWORD)
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/$"))
    expect(answer_box).to_have_value("登出之前保存的文字。登出之后写的。")
    expect(page.locator("#save-status time")).to_be_visible(timeout=10_000)
    assert Answer.objects.get(attempt=attempt).text == "登出之前保存的文字。登出之后写的。"


def test_typing_without_pauses_is_saved_every_few_seconds_and_one_over_is_one_character(
    page: Page, live_server, bank, candidate
) -> None:
    _open_attempt(page, live_server, candidate)
    saves: list[str] = []
    page.on("request", lambda request: saves.append(request.url) if "/save/" in request.url else None)

    # ~14 s of typing, never pausing for a second
    page.locator("#answer-text").press_sequentially("注意力的缩放因子让方差保持为一。" * 3, delay=300)

    assert saves, "no save while the candidate kept typing"
    interview = page.locator("[data-interview]")
    limit = int(interview.get_attribute("data-max-chars"))
    page.locator("#answer-text").fill("长" * (limit + 1))
    expect(page.locator("#save-status")).to_have_text(interview.get_attribute("data-msg-too-long-one"))


def test_finished_in_another_tab_the_page_says_so_and_keeps_the_text(
    page: Page, live_server, bank, candidate
) -> None:
    attempt = _open_attempt(page, live_server, candidate)
    url = page.url
    other = page.context.new_page()
    other.goto(url)
    other.once("dialog", lambda dialog: dialog.accept())
    other.locator("button.finish").click()
    expect(other).to_have_url(re.compile(r"/results/$"))

    page.route("**/preview/", lambda route: route.abort())
    page.locator("#preview-button").click()  # a failure from before the finish: its notice goes with the page
    expect(page.locator("#request-error")).to_be_visible()
    page.locator("#answer-text").fill("在另一个标签页结束之后写的。")

    status = page.locator("#save-status")
    expect(status).to_have_class(re.compile("is-error"), timeout=10_000)
    expect(status).not_to_have_text(page.locator("[data-interview]").get_attribute("data-msg-saving"))
    expect(page.locator("#timer-value")).to_have_text("已结束")  # the clock stops, the box takes no more
    expect(page.locator("#answer-text")).not_to_be_editable()
    expect(page.locator("button.finish")).to_be_disabled()
    expect(page.locator("#answer-form button[formaction*='/submit/']")).to_be_disabled()
    expect(page.locator("#request-error")).to_be_hidden()
    kept = page.evaluate(f"localStorage.getItem('mianshi:answer:{attempt.pk}:1')")
    assert "在另一个标签页结束之后写的" in kept
    status.locator("a").click()  # the way to the results, where that text is offered back
    expect(page).to_have_url(re.compile(r"/results/$"))


def test_two_tabs_on_one_question_never_overwrite_each_other_silently(
    page: Page, live_server, bank, candidate
) -> None:
    attempt = _open_attempt(page, live_server, candidate)
    url = page.url
    stale = page.context.new_page()
    stale.goto(url)  # opened before the first tab saves
    page.locator("#answer-text").fill("第一个标签页写的长回答。")
    expect(page.locator("#save-status time")).to_be_visible()

    stale.locator("#answer-text").fill("第二个标签页。")

    expect(stale.locator("#save-status")).to_have_class(re.compile("is-error"), timeout=10_000)
    expect(stale.locator("#save-status")).to_have_attribute("data-changed-elsewhere", "1")
    assert Answer.objects.get(attempt=attempt).text == "第一个标签页写的长回答。"

    # Reopened, the tab shows the saved answer and offers its own text; taking it saves it.
    stale.reload()
    expect(stale.locator("#answer-text")).to_have_value("第一个标签页写的长回答。")
    offer = stale.locator("#save-warning button")
    expect(offer).to_be_visible()
    with stale.expect_response(lambda response: "/save/" in response.url) as saved:
        offer.click()
    assert saved.value.status == 200
    expect(stale.locator("#answer-text")).to_have_value("第二个标签页。")
    assert Answer.objects.get(attempt=attempt).text == "第二个标签页。"


def test_a_refused_or_unsent_request_says_so_and_the_next_success_clears_it(
    page: Page, live_server, bank, candidate, rate_limits, settings
) -> None:
    settings.RATELIMITS = {**settings.RATELIMITS, "autosave": "1/m"}  # preview shares autosave's rate
    _open_attempt(page, live_server, candidate)
    page.locator("#answer-text").fill("**预览**一下")
    preview, notice = page.locator("#preview-button"), page.locator("#request-error")
    preview.click()
    expect(page.locator("#preview strong")).to_have_text("预览")
    expect(notice).to_be_hidden()

    preview.click()  # over the limit: the 429 fragment's own words
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("频率超过")
    screenshot(page, "request-refused")

    page.locator("[data-dismiss-request-error]").click()
    expect(notice).to_be_hidden()
    page.route("**/preview/", lambda route: route.abort())
    preview.click()
    expect(notice).to_have_text(re.compile(notice.get_attribute("data-msg-offline")))

    page.unroute("**/preview/")
    settings.RATELIMIT_ENABLE = False
    preview.click()
    expect(notice).to_be_hidden()


def test_saves_go_to_save_whichever_button_has_the_focus(page: Page, live_server, bank, candidate) -> None:
    """htmx sends a form to the formaction of its focused button: tabbing from the answer to Preview, then to
    Submit, must save the draft, not preview it into the status line or submit it unasked."""
    attempt = _open_attempt(page, live_server, candidate)
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.locator("#answer-text").fill("用键盘作答。")
    page.keyboard.press("Tab")  # to Preview: leaving the box saves at once
    expect(page.locator("#save-status time")).to_be_visible()
    page.locator("#answer-text").fill("用键盘作答，再改一句。")
    page.locator("#answer-form button[formaction*='/submit/']").focus()
    page.wait_for_timeout(2500)  # the 1 s debounce fires while Submit has the focus

    assert posts and all("/save/" in url for url in posts), posts
    answer = Answer.objects.get(attempt=attempt)
    assert answer.is_draft and answer.text == "用键盘作答，再改一句。"


def test_times_are_shown_in_the_browsers_time_zone(browser: Browser, live_server, bank, candidate) -> None:
    context = browser.new_context(timezone_id="America/Sao_Paulo")  # UTC-3: neither UTC nor the site's
    page = context.new_page()
    log_in(page, live_server.url, candidate.username, PASSWORD)
    assert {"name": "tz", "value": "America/Sao_Paulo"}.items() <= _cookie(page, "tz").items()
    attempt = _short_attempt(candidate, seconds=600)

    page.goto(f"{live_server.url}/attempts/{attempt.pk}/")
    page.locator("#answer-text").fill("在巴西作答。")
    saved_at = page.locator("#save-status time")
    expect(saved_at).to_be_visible(timeout=10_000)

    shown = datetime.strptime(saved_at.inner_text().strip(), "%H:%M:%S").time()
    now = datetime.now(ZoneInfo("America/Sao_Paulo"))
    assert abs(now - datetime.combine(now.date(), shown, now.tzinfo)) < timedelta(minutes=2)
    context.close()


def _cookie(page: Page, name: str) -> dict:
    return next((dict(c) for c in page.context.cookies() if c["name"] == name), {})


def _open_attempt(page: Page, live_server, candidate) -> Attempt:
    """Log in and open a new ten-minute, one-question attempt."""
    log_in(page, live_server.url, candidate.username, PASSWORD)
    attempt = _short_attempt(candidate, seconds=600)
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/")
    return attempt


def _short_attempt(candidate, *, seconds: int) -> Attempt:
    """A one-question attempt whose deadline comes within the test."""
    session = SessionFactory(owner=candidate, title="限时练习", time_limit_seconds=seconds)
    SessionItemFactory(
        session=session, question=Question.objects.filter(status=Question.Status.PUBLISHED).first()
    )
    return attempt_start(candidate=candidate, session=session)
