"""The "why this score" page of a real LLM grading (the fake server, a fooled reply), desktop and phone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page

from fakes.llm_server import FakeLLM
from interviews.grading.bank_input import judge_input
from interviews.grading.llm import LLMJudge
from interviews.models import Grade
from tests.e2e.conftest import log_in, screenshot
from tests.interviews.factories import AttemptFactory, GradeFactory, SessionFactory
from tests.interviews.grading.helpers import bank_question

SHOTS = Path("/tmp/shots/h9")
ANSWER = (
    "MQA 让所有查询头共享一组 K/V，也就是减少了 Q 头，这样 KV cache 更小。\nGQA 把查询头分组，组内共享 K/V。"
)


@pytest.mark.django_db(transaction=True)
def test_an_interviewer_reads_why_a_grade_is_what_it_is(
    page: Page, live_server, interviewer, candidate
) -> None:
    spec = bank_question("mqa-vs-gqa")
    fake = FakeLLM().start()
    try:
        fake.fail_next("misconception_met")
        judge = LLMJudge(model="gpt-4o-mini", api_key="k", base_url=fake.base_url, max_answer_chars=20_000)
        result = judge.grade(judge_input(spec, ANSWER, subject="Inference acceleration"))
    finally:
        fake.stop()
    descriptions = {f"c{i}": c.description for i, c in enumerate(spec.rubric, 1)}
    grade = GradeFactory(
        answer__attempt=AttemptFactory(candidate=candidate, session=SessionFactory(owner=interviewer)),
        judge=Grade.Judge.LLM,
        model=result.model,
        prompt_version=result.prompt_version,
        score=result.score,
        max_score=result.max_score,
        criteria=[c.as_json(description=descriptions[c.id]) for c in result.criteria],
        misconceptions=list(result.misconceptions),
        flags=list(result.flags),
        uncertain=result.uncertain,
        provisional=result.uncertain,
        confidence=result.confidence,
        tokens_in=result.tokens_in,
        tokens_out=result.tokens_out,
        cost_usd=result.cost_usd,
        audit=result.audit,
    )
    log_in(page, live_server.url, "interviewer", "pw-interviewer-1")
    page.goto(f"{live_server.url}/grades/{grade.pk}/why/")
    assert page.get_by_role("heading", name="Why this score").is_visible()
    assert page.get_by_text("contradicted by").first.is_visible()
    page.get_by_text("Messages sent").click()
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(screenshot(page, "grade-why-desktop"), SHOTS / "grade-why-desktop.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    shutil.copy(screenshot(page, "grade-why-phone"), SHOTS / "grade-why-phone.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
