from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fakes.llm_server import FakeLLM
from tests.conftest import shared_path
from tests.interviews.grading.helpers import bank_questions, half_answer


def _evaluate(*args: str) -> dict[str, list[float]]:
    """Run the command; the figures of each table row by its label."""
    out = StringIO()
    call_command("evaluate_judge", *args, stdout=out)
    rows = {}
    for line in out.getvalue().splitlines():
        if " | " in line and not line.startswith("question"):
            label_n, judged, baseline = line.split(" | ")
            label, n = label_n.split()
            rows[label] = [float(n), *map(float, judged.split()), *map(float, baseline.split())]
    return rows


@pytest.fixture
def bank_dataset(tmp_path: Path) -> Path:
    """Answers scored from how they were made: the reference (full marks), half the rubric, nothing."""
    lines = []
    for spec in bank_questions()[:6]:
        half, share, _ = half_answer(spec)
        lines += [
            {"slug": spec.slug, "answer": spec.reference_answer, "score": 10},
            {"slug": spec.slug, "answer": half, "score": round(10 * share), "max_score": 10},
            {"slug": spec.slug, "answer": "不知道。", "score": 0},
        ]
    path = tmp_path / "bank.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    return path


def test_the_offline_judge_beats_the_bigram_baseline_on_the_ads_dev_set() -> None:
    rows = _evaluate("--dataset", str(shared_path("judge-data/ads-dev.jsonl")), "--judge", "offline")
    n, pearson, spearman, qwk, mae, base_pearson, *_ = rows["overall"]
    assert n == 1155 and len(rows) == 12  # eleven questions and the overall row
    assert pearson >= 0.50
    assert pearson > base_pearson + 0.05
    assert 0.40 < base_pearson < 0.50  # the README's reference level for the baseline


def test_the_banks_own_format_is_read_with_its_rubrics(bank_dataset: Path) -> None:
    rows = _evaluate("--dataset", str(bank_dataset))
    assert len(rows) == 7
    n, pearson, spearman, qwk, mae, *_ = rows["overall"]
    assert n == 18
    # A format check on 18 answers (reference, half, empty): the judge must rank them, not meet a target.
    assert pearson > 0.85 and qwk > 0.8 and mae < 2.0


def test_the_llm_judge_is_evaluated_through_the_configured_server(
    settings, fake_llm: FakeLLM, bank_dataset: Path
) -> None:
    settings.OPENAI_API_KEY = "test-key"
    settings.OPENAI_BASE_URL = fake_llm.base_url
    out = StringIO()
    call_command(
        "evaluate_judge", "--dataset", str(bank_dataset), "--judge", "llm", "--limit", "6", stdout=out
    )
    printed = out.getvalue()
    # Each answer twice: the run and its retest.
    assert len(fake_llm.requests) == 12
    assert "Judge llm (gpt-4o-mini)" in printed
    assert "estimated cost $" in printed
    # The offline judge on the same answers, in the same run, in the same columns.
    rows = {line.split()[0]: line for line in printed.splitlines() if " | " in line}
    assert {"overall", "offline-judge"} <= set(rows)
    # The fake grades deterministically: the retest agrees perfectly.
    assert "Test-retest on 6 answers graded twice: Pearson 1.000" in printed
    assert "same verdict on 100% of the points" in printed


def test_the_retest_can_be_left_out(settings, fake_llm: FakeLLM, bank_dataset: Path) -> None:
    settings.OPENAI_API_KEY = "test-key"
    settings.OPENAI_BASE_URL = fake_llm.base_url
    out = StringIO()
    call_command(
        "evaluate_judge",
        "--dataset",
        str(bank_dataset),
        "--judge",
        "llm",
        "--limit",
        "3",
        "--no-retest",
        stdout=out,
    )
    assert len(fake_llm.requests) == 3 and "Test-retest" not in out.getvalue()


def test_the_llm_judge_needs_an_api_key(settings, bank_dataset: Path) -> None:
    settings.OPENAI_API_KEY = ""
    with pytest.raises(CommandError, match="OPENAI_API_KEY"):
        call_command("evaluate_judge", "--dataset", str(bank_dataset), "--judge", "llm")


def test_a_broken_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text('{"slug": "mqa-vs-gqa", "answer": "x", "score": 1}\n{"answer": "no question"}\n')
    with pytest.raises(CommandError, match="line 2"):
        call_command("evaluate_judge", "--dataset", str(path))
