from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakes.llm_server import FakeLLM
from interviews.grading.llm import LLMJudge

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
