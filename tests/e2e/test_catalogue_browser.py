from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.management.commands.create_demo_accounts import DEMO_ACCOUNTS
from tests.e2e.conftest import log_in, screenshot


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    """A browser that asks for Chinese, as most candidates' browsers do."""
    return {**browser_context_args, "locale": "zh-CN"}


def test_a_candidate_browses_the_catalogue_in_both_languages(page: Page, live_server, transactional_db):
    call_command("load_question_bank", verbosity=0)
    call_command("create_demo_accounts", "--force", verbosity=0)
    log_in(page, live_server.url, "candidate", DEMO_ACCOUNTS["candidate"][0])

    page.goto(f"{live_server.url}/questions/")
    nav = page.locator("nav.nav")
    expect(nav.get_by_role("link", name="题库")).to_be_visible()
    expect(page.locator(".question-list > li").first).to_be_visible()
    screenshot(page, "catalogue-catalogue-zh")

    # The search box filters through htmx and pushes the filtered address into the history.
    page.fill("input[name=q]", "注意力")
    expect(page).to_have_url(re.compile(r"q=%E6%B3%A8%E6%84%8F%E5%8A%9B"))
    expect(page.locator(".question-list > li").first).to_be_visible()

    page.click("button[data-lang=en]")
    expect(nav.get_by_role("link", name="Questions")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Question catalogue")
    screenshot(page, "catalogue-catalogue-en")

    page.set_viewport_size({"width": 390, "height": 844})
    page.click("button[data-lang=zh-hans]")
    expect(nav.get_by_role("link", name="题库")).to_be_visible()
    screenshot(page, "catalogue-catalogue-zh-phone")

    page.locator(".question-title").first.click()
    expect(page.locator(".locked")).to_be_visible()
    screenshot(page, "catalogue-question-zh-phone")
