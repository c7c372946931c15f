from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakes.llm_server import FakeLLM
from interviews.grading.llm import LLMJudge
from interviews.services import judges

PRICES = {"gpt-4o-mini": (0.15, 0.60)}
MAX_ANSWER_CHARS = 20_000


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    fake = FakeLLM().start()
    yield fake
    fake.stop()


@pytest.fixture
def llm_judge(fake_llm: FakeLLM) -> LLMJudge:
    return LLMJudge(
        model="gpt-4o-mini",
        api_key="test-key",
        base_url=fake_llm.base_url,
        timeout=1.0,
        prices_per_million=PRICES,
        max_answer_chars=MAX_ANSWER_CHARS,
    )


@pytest.fixture
def with_llm(settings, fake_llm: FakeLLM) -> Iterator[FakeLLM]:
    """The grading service judges with the LLM, served by `fake_llm`."""
    settings.OPENAI_API_KEY = "test-key"
    settings.OPENAI_BASE_URL = fake_llm.base_url
    settings.OPENAI_TIMEOUT = 1.0
    settings.OPENAI_MODEL = "gpt-4o-mini"
    # The fake spots words, the offline judge reads meaning: their disagreement is tested on its own
    # (test_an_llm_grade_the_offline_judge_disagrees_with_is_provisional_audited_and_queued).
    settings.JUDGE_MAX_DISAGREEMENT = 1.0
    judges.llm_judge.cache_clear()  # the process's client, made from the first settings it was asked with
    yield fake_llm
    judges.llm_judge.cache_clear()
