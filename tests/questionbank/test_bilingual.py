"""Every question may carry an English version; an answer is graded against the version in its language."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from pydantic import ValidationError

from interviews.grading.bank_input import judge_input
from interviews.services.judges import judge_input_for_question
from questionbank.bank_files import QuestionSpec
from questionbank.models import Question
from tests.questionbank.factories import QuestionFactory

CHINESE_ANSWER = "MQA 让所有查询头共享同一组 K 和 V，显著减少 KV cache。"
ENGLISH_ANSWER = "MQA lets every query head share a single key and value head, which shrinks the KV cache."


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The bank's messages are asserted in English, their message ids (the site's default is Chinese)."""
    with translation.override("en"):
        yield


def _spec(**changes: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "slug": "mqa",
        "sources": ["S000-01"],
        "difficulty": "medium",
        "suggested_seconds": 300,
        "prompt": "什么是 MQA？",
        "prompt_en": "What is MQA?",
        "reference_answer": "所有查询头共享一组 K/V。",
        "reference_answer_en": "All query heads share one K/V head.",
        "rubric": [
            {
                "description": f"要点 {n}",
                "description_en": f"point {n}",
                "points": p,
                "terms": [f"术语{n}"],
                "terms_en": [f"term {n}"],
            }
            for n, p in enumerate((4, 3, 3), 1)
        ],
        "misconceptions": [
            {
                "claim": "MQA 减少查询头",
                "claim_en": "MQA removes query heads",
                "phrasings": ["查询头变少"],
                "phrasings_en": ["fewer query heads"],
                "contradicts": 1,
            }
        ],
    }
    return spec | changes


def test_a_complete_english_version_is_accepted() -> None:
    spec = QuestionSpec.model_validate(_spec())
    assert spec.is_bilingual and spec.rubric[0].terms_en == ["term 1"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reference_answer_en": ""}, "reference_answer_en"),
        ({"prompt_en": ""}, "without `prompt_en`"),
        ({"sources": []}, "sources_note"),
    ],
)
def test_a_half_english_question_or_one_without_a_source_or_a_reason_is_refused(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message.replace("`", ".")):
        QuestionSpec.model_validate(_spec(**change))


def test_a_missing_english_rubric_point_is_named() -> None:
    spec = _spec()
    spec["rubric"][1]["description_en"] = ""
    with pytest.raises(ValidationError, match="rubric point 2: description_en"):
        QuestionSpec.model_validate(spec)


def test_an_english_term_the_english_prompt_contains_is_refused() -> None:
    spec = _spec()
    spec["rubric"][0]["terms_en"] = ["what is"]
    with pytest.raises(ValidationError, match="occurs in the prompt"):
        QuestionSpec.model_validate(spec)


def test_a_question_without_a_seed_loads_with_its_reason() -> None:
    spec = QuestionSpec.model_validate(_spec(sources=[], sources_note="a 2025 topic the seeds predate"))
    assert spec.sources_note


@pytest.mark.parametrize(("answer", "version"), [(ENGLISH_ANSWER, "en"), (CHINESE_ANSWER, "zh"), ("", "zh")])
def test_the_bank_files_answer_is_graded_against_the_version_in_its_language(
    answer: str, version: str
) -> None:
    graded = judge_input(QuestionSpec.model_validate(_spec()), answer)
    english = version == "en"
    assert graded.language == version
    assert graded.question == ("What is MQA?" if english else "什么是 MQA？")
    assert [c.description for c in graded.criteria] == [
        f"point {n}" if english else f"要点 {n}" for n in (1, 2, 3)
    ]
    assert graded.criteria[0].terms == (("term 1",) if english else ("术语1",))
    assert graded.misconceptions[0].phrasings == (("fewer query heads",) if english else ("查询头变少",))


def test_an_english_answer_to_a_question_without_english_is_graded_against_the_chinese() -> None:
    spec = _spec(prompt_en="", reference_answer_en="", misconceptions=[])
    spec["misconceptions"] = [{"claim": "MQA 减少查询头", "phrasings": ["查询头变少"], "contradicts": 1}]
    for point in spec["rubric"]:
        point["description_en"], point["terms_en"] = "", []
    graded = judge_input(QuestionSpec.model_validate(spec), ENGLISH_ANSWER)
    assert graded.question == "什么是 MQA？" and graded.language == "zh"


def test_the_worker_grades_an_english_answer_against_the_english_rows(db) -> None:
    question: Question = QuestionFactory(
        prompt="什么是 MQA？",
        prompt_en="What is MQA?",
        reference_answer="所有查询头共享一组 K/V。",
        reference_answer_en="All query heads share one K/V head.",
        rubric=[
            {"description": "共享 K/V", "description_en": "shared K/V", "points": 10, "terms_en": ["one K/V"]}
        ],
        misconceptions=[
            {"claim": "减少查询头", "claim_en": "fewer query heads", "phrasings_en": ["fewer heads"]}
        ],
    )
    rows = {"criteria": list(question.rubric.all()), "misconceptions": list(question.misconceptions.all())}
    english = judge_input_for_question(question=question, answer_text=ENGLISH_ANSWER, **rows)
    chinese = judge_input_for_question(question=question, answer_text=CHINESE_ANSWER, **rows)
    assert (english.reference, english.criteria[0].description, english.criteria[0].terms) == (
        "All query heads share one K/V head.",
        "shared K/V",
        ("one K/V",),
    )
    assert english.misconceptions[0].claim == "fewer query heads" and english.language == "en"
    assert (chinese.reference, chinese.criteria[0].description) == ("所有查询头共享一组 K/V。", "共享 K/V")


def test_a_question_written_in_english_is_graded_against_its_own_fields(db) -> None:
    """An interviewer's English question has no English version beside it: its own fields are the English."""
    question: Question = QuestionFactory(
        language="en",
        prompt="What is MQA?",
        reference_answer="All query heads share one K/V head.",
        rubric=[{"description": "shared K/V", "points": 10, "terms": ["one K/V"]}],
        misconceptions=[{"claim": "fewer query heads", "phrasings": ["fewer heads"]}],
    )
    rows = {"criteria": list(question.rubric.all()), "misconceptions": list(question.misconceptions.all())}

    graded = judge_input_for_question(question=question, answer_text=ENGLISH_ANSWER, **rows)

    assert (graded.question, graded.reference, graded.language) == (
        "What is MQA?",
        "All query heads share one K/V head.",
        "en",
    )
    assert (graded.criteria[0].description, graded.criteria[0].terms) == ("shared K/V", ("one K/V",))
    assert graded.misconceptions[0].phrasings == ("fewer heads",)


@pytest.mark.parametrize(
    "answer",
    [
        "DPO 的损失：$$\\mathcal{L}=-\\log\\sigma\\Big(\\beta\\log"
        "\\frac{\\pi_\\theta(y_w|x)}{\\pi_{ref}(y_w|x)}-\\beta\\log"
        "\\frac{\\pi_\\theta(y_l|x)}{\\pi_{ref}(y_l|x)}\\Big)$$ 不需要奖励模型。",
        "实现如下：\n```python\ndef attention(q, k, v, mask):\n"
        "    scores = q @ k.transpose(-2, -1)\n    return scores\n```",
    ],
)
def test_formulas_and_code_do_not_make_a_chinese_answer_english(answer: str) -> None:
    assert judge_input(QuestionSpec.model_validate(_spec()), answer).language == "zh"
