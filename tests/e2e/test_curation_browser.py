"""An admin imports a seed document, reads the preview, confirms, edits a question with the live preview,
publishes it, and a candidate finds it in the catalogue; screenshots of the import preview, the question
editor (laptop and tablet) and the statistics pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.management.commands.create_demo_accounts import DEMO_ACCOUNTS
from interviews.models import Answer
from questionbank.models import Question, Topic
from tests.e2e.conftest import screenshot
from tests.interviews.factories import AnswerFactory, AttemptFactory, GradeFactory

SEED = next((Path(__file__).resolve().parents[3] / "shared" / "seeds").glob("003_*.txt"))
EDITED_PROMPT = "涌现能力是什么原因?请结合 $\\log N$ 规模说明。"


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1366, "height": 900}}


def admin_log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_ACCOUNTS[username][0])
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")


def grade_some_answers(question: Question) -> None:
    """Three graded answers, so that the statistics pages have something to show."""
    points = list(question.rubric.all())
    for score, met in ((9, 3), (6, 2), (3, 1)):
        criteria = [
            {
                "criterion_id": str(c.pk),
                "description": c.description,
                "verdict": "met" if i < met else "missed",
            }
            for i, c in enumerate(points)
        ]
        answer = AnswerFactory(
            attempt=AttemptFactory(finished=True), question=question, status=Answer.Status.GRADED
        )
        GradeFactory(answer=answer, score=score, criteria=criteria)


def test_an_admin_imports_edits_and_publishes_and_a_candidate_finds_it(
    page: Page, live_server, transactional_db, browser
) -> None:
    call_command("create_demo_accounts", "--force", verbosity=0)
    Topic.objects.create(slug="llm-basics", name_zh="大模型基础", name_en="LLM basics")
    admin_log_in(page, live_server.url, "admin")

    # Upload, read the preview: nothing is written yet.
    page.goto(f"{live_server.url}/admin/questionbank/question/")
    page.get_by_role("link", name="Import questions").click()
    page.set_input_files("input[name=document]", str(SEED))
    page.get_by_role("button", name="Preview").or_(page.locator("input[value=Preview]")).click()
    expect(page.locator(".import-summary")).to_contain_text("4 to create (as drafts)")
    expect(page.locator(".import-preview tbody tr")).to_have_count(4)
    expect(page.locator(".import-preview")).to_contain_text("涌现能力是什么原因?")
    screenshot(page, "curation-import-preview")
    assert Question.objects.count() == 0

    # Confirm: four drafts.
    page.locator("input[name=confirm]").click()
    expect(page.locator(".messagelist")).to_contain_text("4 questions imported as drafts")
    assert Question.objects.filter(status="draft").count() == 4

    # Edit one with the live preview: the formula is typeset by KaTeX as it is typed.
    page.locator("#result_list tr", has_text="涌现能力是什么原因?").locator("th a").click()
    page.fill("#id_prompt", EDITED_PROMPT)
    expect(page.locator("#id_prompt_preview .katex")).to_be_visible()
    expect(page.locator(".rubric-total")).to_have_text(re.compile(r"10 / 10"))
    page.select_option("#id_topics_from", label="LLM basics")
    page.click("#id_topics_add")
    for box in page.locator("input[name$='-proposed']").all():
        box.uncheck()  # the proposed rubric points are accepted
    # Two rows added take the next two order numbers (both were 0: a duplicate the form refused); removed.
    orders = "#rubric-group input[name$='-order']:not([name*='__prefix__'])"
    count = page.locator(orders).count()
    for _ in range(2):
        page.locator("#rubric-group .add-row a").click()
    added = page.eval_on_selector_all(orders, "els => els.map(e => e.value)")[-2:]
    assert added == [str(count), str(count + 1)]
    for _ in range(2):
        page.locator("#rubric-group .inline-deletelink").last.click()
    page.select_option("#id_status", "published")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366, "the editor fits a laptop"
    screenshot(page, "curation-question-editor")
    page.set_viewport_size({"width": 820, "height": 1180})
    page.wait_for_timeout(500)  # let the page lay itself out again
    assert page.evaluate("document.documentElement.scrollWidth") <= 820, "no sideways scrolling on a tablet"
    screenshot(page, "curation-question-editor-tablet")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    question = Question.objects.get(prompt=EDITED_PROMPT)
    assert question.status == "published" and not question.rubric.filter(proposed=True).exists()
    assert question.history.first().history_user.username == "admin"

    # Statistics pages.
    grade_some_answers(question)
    page.goto(f"{live_server.url}/admin/questionbank/question/{question.pk}/statistics/")
    expect(page.locator(".stat-facility")).to_have_text("60.0 %")
    screenshot(page, "curation-question-statistics")
    page.goto(f"{live_server.url}/admin/questionbank/question/statistics/")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    screenshot(page, "curation-bank-statistics")

    # A candidate finds it in the catalogue.
    candidate = browser.new_page(locale="en-US")
    candidate.goto(f"{live_server.url}/accounts/login/")
    candidate.fill("input[name=username]", "candidate")
    candidate.fill("input[name=password]", DEMO_ACCOUNTS["candidate"][0])
    candidate.click("form.login button[type=submit]")
    candidate.wait_for_load_state("networkidle")
    candidate.goto(f"{live_server.url}/questions/?q=涌现能力")
    expect(candidate.locator(".question-list")).to_contain_text("涌现能力是什么原因")
    screenshot(candidate, "curation-candidate-catalogue")

    # The same editor in Chinese: every label translated.
    chinese = browser.new_page(locale="zh-CN", viewport={"width": 1366, "height": 900})
    admin_log_in(chinese, live_server.url, "admin")
    chinese.goto(f"{live_server.url}/admin/questionbank/question/{question.pk}/change/")
    expect(chinese.locator(".rubric-total")).to_have_text(re.compile(r"评分标准合计: 10 / 10"))
    expect(chinese.locator("label[for=id_suggested_seconds]")).to_contain_text("建议用时")
    expect(chinese.locator(".selector-available")).to_contain_text("选中要添加的")  # Django's JS strings too
    expect(chinese.locator("#site-name")).to_contain_text("面试练习")
    screenshot(chinese, "curation-question-editor-zh")
    chinese.goto(f"{live_server.url}/admin/questionbank/question/{question.pk}/statistics/")
    expect(chinese.locator(".stats-summary")).to_contain_text("难度系数")
    screenshot(chinese, "curation-question-statistics-zh")
