"""The LLM's draft rubric for imported questions without one: the real SDK against the fake server."""

from __future__ import annotations

import pytest

from fakes.llm_server import FakeLLM
from interviews import receivers
from questionbank.importers.tabular import parse_csv
from questionbank.imports import import_apply, import_preview
from questionbank.models import Question

# A question without a rubric: the import proposes its answer's bullets and the second's wrong claim.
DOCUMENT = (
    "slug,prompt,reference_answer\n"
    'kv-cache,什么是 KV cache?,"- 缓存已算过的 key 和 value。\n'
    '- 解码时不是重算前文，而是读缓存。\n- 代价是显存随长度增长。"\n'
)


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """The question ids queued for a proposal; each task runs at once, as a worker would."""
    ids: list[int] = []

    def delay(question_id: int) -> None:
        ids.append(question_id)
        receivers.propose_rubric(question_id)

    monkeypatch.setattr(receivers.propose_rubric, "delay", delay)
    return ids


@pytest.fixture
def with_key(settings, fake_llm: FakeLLM) -> FakeLLM:
    settings.OPENAI_API_KEY = "test-key"
    settings.OPENAI_BASE_URL = fake_llm.base_url
    settings.OPENAI_TIMEOUT = 2.0
    return fake_llm


def _import(django_capture_on_commit_callbacks) -> Question:
    with django_capture_on_commit_callbacks(execute=True):
        (question,) = import_apply(import_preview(parse_csv(DOCUMENT)))
    return question


def _rubric(question: Question) -> list[tuple[str, int, bool]]:
    return [(c.description, c.points, c.proposed) for c in question.rubric.all()]


BULLETS = [
    ("缓存已算过的 key 和 value。", 4, True),
    ("解码时不是重算前文，而是读缓存。", 3, True),
    ("代价是显存随长度增长。", 3, True),
]


@pytest.mark.django_db
def test_a_valid_proposal_replaces_the_bullets_as_proposed_points_and_misconceptions(
    with_key: FakeLLM, queued: list[int], django_capture_on_commit_callbacks
) -> None:
    question = _import(django_capture_on_commit_callbacks)
    assert queued == [question.pk]
    request = with_key.requests[-1]
    assert request["response_format"]["json_schema"]["name"] == "rubric_proposal"
    rubric = list(question.rubric.all())
    assert [(c.points, c.terms, c.proposed) for c in rubric] == [
        (4, ["缓存已算过的 k"], True),
        (3, ["解码时不是重算前"], True),
        (3, ["代价是显存随长度"], True),
    ]
    (misconception,) = question.misconceptions.all()
    assert misconception.proposed and misconception.criterion == rubric[0]
    assert misconception.claim == "并非如此：缓存已算过的 key 和 value。"


@pytest.mark.django_db
@pytest.mark.parametrize("fault", ["proposal_total", "proposal_contradicts", "malformed", "server_error"])
def test_an_invalid_or_failed_proposal_stores_nothing_and_keeps_the_bullets(
    fault: str, with_key: FakeLLM, queued: list[int], django_capture_on_commit_callbacks, caplog
) -> None:
    with_key.fail_next(fault)
    question = _import(django_capture_on_commit_callbacks)
    assert queued == [question.pk] and len(with_key.requests) == 1
    assert _rubric(question) == BULLETS
    assert [(m.phrasings, m.criterion.order, m.proposed) for m in question.misconceptions.all()] == [
        (["重算前文"], 1, True)
    ]
    assert "rubric proposal" in caplog.text


@pytest.mark.django_db
def test_without_a_key_no_task_is_queued(
    settings, queued: list[int], django_capture_on_commit_callbacks
) -> None:
    settings.OPENAI_API_KEY = ""
    question = _import(django_capture_on_commit_callbacks)
    assert queued == []
    assert _rubric(question) == BULLETS


@pytest.mark.django_db
def test_a_rubric_accepted_meanwhile_is_left_alone(with_key: FakeLLM, queued: list[int]) -> None:
    (question,) = import_apply(import_preview(parse_csv(DOCUMENT)))  # on_commit not run: queued later
    question.rubric.update(proposed=False)
    receivers.propose_rubric(question.pk)
    assert _rubric(question) == [(d, p, False) for d, p, _ in BULLETS]
    assert with_key.requests == []
