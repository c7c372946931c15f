"""An interviewer builds a session, a candidate takes it through the invite and appeals a point, the
interviewer overrides it, and the candidate sees the new grade: two browser contexts in headless Chromium."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from interviews.models import Answer, Attempt, Grade
from interviews.services.grading import answer_grade
from tests.e2e.conftest import log_in, screenshot
from tests.questionbank.factories import QuestionFactory, TopicFactory

SHOTS = Path("/tmp/shots/h10")


def shot(page: Page, name: str) -> None:
    """A checked full-page screenshot in test-artifacts/, copied where the reviewer looks, with the first
    screen on its own (a phone's full page is too tall to read)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(screenshot(page, f"hiring-{name}"), SHOTS / f"{name}.png")
    page.screenshot(path=str(SHOTS / f"{name}-screen.png"))


@pytest.fixture
def attention(db) -> None:
    """A few published questions of 注意力机制 (the test does not depend on every bank file being valid)."""
    topic = TopicFactory(slug="attention", name_zh="注意力机制", name_en="Attention")
    # A long name: on a phone its badge must not push the question's Add button off the screen.
    other = TopicFactory(
        slug="inference", name_zh="推理与部署（量化、KV cache、投机解码与批处理调度）", name_en="Inference"
    )
    for n, prompt in enumerate(
        ["为什么注意力要除以 √d_k 做缩放？", "多头注意力相比单头有什么好处？", "解释 MQA 和 GQA 的区别。"]
    ):
        QuestionFactory(
            slug=f"attention-{n}",
            prompt=prompt,
            topics=[topic],
            rubric=[
                {"description": "说明点积方差随维度增长", "points": 5},
                {"description": "指出 softmax 饱和、梯度变小", "points": 5},
            ],
        )
    QuestionFactory(slug="kv-cache-memory", prompt="KV cache 占用多少显存？如何估算？", topics=[other])


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}


def test_build_invite_answer_appeal_override(
    page: Page, browser: Browser, live_server, attention, interviewer, candidate
) -> None:
    url = live_server.url
    log_in(page, url, interviewer.username, "pw-interviewer-1")

    # A new session, closed until its settings open it.
    page.goto(f"{url}/hiring/")
    page.locator("form[action$='/hiring/sessions/new/'] button").click()
    expect(page).to_have_url(re.compile(r"/hiring/sessions/\d+/$"))

    # Search as you type, in Chinese then in English; add a question, then take it out again.
    page.fill("#search-q", "缩放")
    expect(page.locator("#search-results li form")).not_to_have_count(0)
    page.fill("#search-q", "KV cache")
    expect(page.locator("#search-results")).to_contain_text(re.compile("KV", re.I))
    page.locator("#search-results li form button").first.click()
    expect(page.locator("#items li.item")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())  # "Remove question 1 from the session?"
    page.locator("#items li.item button.danger").click()
    expect(page.locator("#items li.item")).to_have_count(0)

    # The custom question, with two key points and a wrong claim.
    page.locator("a[href$='/questions/new/']").click()
    page.fill("#id_prompt", "解释 KV cache 为什么能加速自回归解码。")
    page.fill(
        "#id_reference_answer",
        "KV cache 缓存已生成 token 的 K 和 V，解码新 token 时只算新 token 的 Q、K、V，避免重复计算。",
    )
    page.select_option("#id_difficulty", "medium")
    page.fill("#id_minutes", "5")
    page.fill("#id_rubric-0-description", "缓存已生成 token 的 K 和 V")
    page.fill("#id_rubric-0-points", "5")
    page.fill("#id_rubric-1-description", "避免每步重复计算前面 token 的 K、V")
    page.fill("#id_rubric-1-points", "5")
    page.fill("#id_wrong-0-claim", "KV cache 缓存的是 Q")
    page.fill("#id_wrong-0-point", "1")
    shot(page, "custom-question")
    page.locator("form.custom-question button[type=submit]").click()
    expect(page.locator("#items li.item")).to_have_count(1)

    # One random medium question from 注意力机制, drawn per candidate.
    page.select_option("#id_random-topic", "attention")
    page.select_option("#id_random-difficulty", "medium")
    page.locator("#random button[type=submit]").click()
    expect(page.locator("#items li.item")).to_have_count(2)

    # Reorder with the keyboard-reachable buttons: the random item goes first, then back.
    page.locator("#items li.item").nth(1).locator("button[aria-label]").first.click()
    expect(page.locator("#items li.item").first).to_contain_text("注意力机制")
    page.locator("#items li.item").nth(1).locator("button[aria-label]").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#items li.item").first).to_contain_text("KV cache")

    page.fill("#id_title", "LLM 工程师 · 一面")
    page.fill("#id_minutes", "20")
    page.check("#id_is_open")
    page.locator("#settings button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    invite = page.locator("#invite-url").input_value()
    assert re.search(r"/invite/[\w-]{20,}/$", invite)
    page.locator("[data-copy]").click()
    shot(page, "builder")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "builder-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for add in page.locator("#search-results li form button").all():
        box = add.bounding_box()
        assert box and box["x"] + box["width"] <= 390, "every Add button is on the screen"
    page.set_viewport_size({"width": 1280, "height": 900})

    # The candidate, in another browser: the link, log in, the start page, the timed interview.
    other = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    cand = other.new_page()
    cand.goto(invite)
    expect(cand.locator("h1")).to_have_text("LLM 工程师 · 一面")
    cand.locator(".invite-start a.button").first.click()
    cand.fill("input[name=username]", candidate.username)
    cand.fill("input[name=password]", "pw-candidate-1")
    cand.click("form.login button[type=submit]")
    expect(cand).to_have_url(invite)
    shot(cand, "invite-start")
    cand.locator(".invite-start button[type=submit]").click()
    expect(cand).to_have_url(re.compile(r"/attempts/\d+/$"))
    attempt = Attempt.objects.get(candidate=candidate)
    cand.fill("#answer-text", "我不太确定，可能和显卡有关。")
    # Autosave waits a second after typing (text typed before the page script ran is saved at once).
    expect(cand.locator("#save-status time")).to_be_visible(timeout=15_000)
    cand.locator("#nav-2 a").click()
    cand.fill("#answer-text", "缩放是为了让 softmax 的输入方差稳定，避免梯度消失。")
    expect(cand.locator("#save-status time")).to_be_visible(timeout=15_000)
    cand.once("dialog", lambda dialog: dialog.accept())
    cand.locator("button.finish").click()
    expect(cand).to_have_url(re.compile(r"/results/$"))

    # The judge grades (the offline judge, in this process, as the worker would).
    for answer in attempt.answers.all():
        answer_grade(answer_id=answer.pk)
    assert set(attempt.answers.values_list("status", flat=True)) == {Answer.Status.GRADED}
    expect(cand.locator("#summary .score-percent")).to_be_visible(timeout=15_000)

    # The candidate appeals one point of the custom question they did not get in full.
    judged = Grade.objects.get(answer__attempt=attempt, answer__position=1, is_current=True)
    point = next(c for c in judged.criteria if c["points"] < c["points_possible"])
    criterion = str(point["criterion_id"])
    box = cand.locator(f"#appeal-1-{criterion}")
    box.locator("xpath=ancestor::details").locator("summary").click()
    box.fill("我写了避免重复计算：每一步只算新 token。")
    box.locator("xpath=ancestor::form").locator("button").click()
    expect(cand.locator("#result-1 .appeal-open")).to_be_visible()

    # The interviewer: the results table, the queue with the appeal, the override with a comment.
    page.goto(f"{url}/hiring/review/")
    entry = page.locator(".queue-entry", has=page.locator(".flag-appealed"))
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("我写了避免重复计算")
    shot(page, "queue")
    page.goto(f"{url}/hiring/review/?blind=1")
    # Every entry (the random item's answer may be in the queue too, if the judge was unsure of it).
    expect(page.locator("ol.queue")).not_to_contain_text(candidate.username)
    shot(page, "queue-blind")
    page.goto(f"{url}/hiring/review/?blind=0")
    entry.locator("a").first.click()
    page.wait_for_load_state()  # hiring.js, deferred, has run
    page.select_option(f"#id_verdict_{criterion}", "met")
    # The verdict brings its points: met is the point's full points.
    expect(page.locator(f"#id_points_{criterion}")).to_have_value(f"{point['points_possible']:g}")
    page.fill(f"#id_comment_{criterion}", "同意：答案里提到了避免重复计算。")
    page.fill("#id_comment", "复核后加分。")
    shot(page, "override")
    page.locator("form.override button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/hiring/review/$"))
    human = Grade.objects.get(answer__attempt=attempt, answer__position=1, is_current=True)
    assert human.judge == "human" and human.score == judged.score + Decimal(
        str(point["points_possible"] - point["points"])
    )
    assert Grade.objects.filter(pk=judged.pk, is_current=False).exists()

    page.goto(f"{url}/hiring/sessions/{attempt.session_id}/results/")
    expect(page.locator(".results-table tbody tr")).to_have_count(1)
    expect(page.locator(".results-table")).to_contain_text(candidate.username)
    expect(page.locator("#agreement table")).to_be_visible()
    shot(page, "results")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "results-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{url}/hiring/attempts/{attempt.pk}/")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    shot(page, "report-print")
    page.pdf(path=str(SHOTS / "report.pdf"), format="A4")
    page.emulate_media(media="screen")

    # The candidate sees the new score, the person's note and the comment.
    cand.reload()
    card = cand.locator("#result-1")
    expect(card.locator(".result-score")).to_contain_text(f"{human.score.normalize():f} / 10")
    expect(card).to_contain_text("复核后加分。")
    expect(card).to_contain_text("同意：答案里提到了避免重复计算。")
    expect(card.locator(".reviewed")).to_be_visible()
    shot(cand, "candidate-results")
    other.close()

    # The interviewer's pages in English, and on a phone.
    page.goto(f"{url}/hiring/sessions/{attempt.session_id}/")
    page.locator("button[data-lang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#items-title")).to_have_text("Questions of this session")
    shot(page, "builder-en")
    page.goto(f"{url}/hiring/sessions/{attempt.session_id}/results/")
    shot(page, "results-en")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{url}/hiring/answers/{human.answer_id}/review/")
    shot(page, "override-phone-en")
    page.goto(f"{url}/hiring/review/?blind=1")
    shot(page, "queue-blind-phone-en")
