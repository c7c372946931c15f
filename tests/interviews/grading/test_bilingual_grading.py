"""An English answer is graded as well as a Chinese one: the English references against both versions."""

from __future__ import annotations

from statistics import mean

import pytest

from interviews.grading.bank_input import judge_input
from interviews.grading.offline import OfflineJudge
from interviews.grading.types import GradeResult
from questionbank.bank_files import QuestionSpec, read_bank
from tests.interviews.grading.helpers import bank_grade


def _chinese_only(spec: QuestionSpec) -> QuestionSpec:
    """The question as it was before it had an English version."""
    return spec.model_copy(update={"prompt_en": ""})


@pytest.mark.slow
def test_the_english_references_score_85_percent_against_the_english_and_the_chinese_rubric() -> None:
    judge = OfflineJudge()
    bilingual = [q for q in read_bank().questions if q.is_bilingual]
    assert bilingual, "the bank has English versions"

    assert {judge_input(q, q.reference_answer_en).language for q in bilingual} == {"en"}
    english = {q.slug: judge.grade(judge_input(q, q.reference_answer_en)) for q in bilingual}
    chinese = {q.slug: judge.grade(judge_input(_chinese_only(q), q.reference_answer_en)) for q in bilingual}

    assert mean(100 * r.fraction for r in english.values()) >= 85, sorted(
        (round(100 * r.fraction), slug) for slug, r in english.items()
    )[:10]
    assert mean(100 * r.fraction for r in chinese.values()) >= 85, sorted(
        (round(100 * r.fraction), slug) for slug, r in chinese.items()
    )[:10]


def test_a_right_english_statement_on_rope_is_not_reported_as_the_misconception() -> None:
    """The phrasing "rotate Q, K and V" was split by YAML at its comma, and "rotate Q" then matched "rotates
    queries": a right statement was reported as the claim that RoPE is added to the embeddings."""
    spec = next(q for q in read_bank().questions if q.slug == "positional-encoding-types")
    assert "rotate Q, K and V" in next(m for m in spec.misconceptions if "V" in m.claim_en).phrasings_en
    answer = (
        "RoPE rotates queries and keys by an angle that grows with the position, so their dot product "
        "depends only on the relative distance."
    )
    result = OfflineJudge().grade(judge_input(spec, answer))
    assert result.misconceptions == ()


def test_a_claim_in_an_english_relative_clause_meets_its_point() -> None:
    graded, result = bank_grade(
        "why-scale-by-sqrt-dk",
        "If the components of q and k are independent with mean 0 and variance 1, the dot product has "
        "variance d_k, so it grows with the dimension. "
        "Large logits saturate the softmax into nearly one-hot outputs whose gradients vanish. "
        "Dividing by sqrt(d_k) brings the variance back to 1 whatever the dimension.",
    )
    point = next(c.id for c in graded.criteria if "gradients vanish" in c.description)
    assert _verdicts(result)[point] == "met"


def test_an_english_word_counts_for_its_other_forms() -> None:
    """ "BERT … cannot generate directly, and [MASK] never appears at fine-tuning time" names the point on
    "generation" and the "pre-train/fine-tune mismatch": the point went unmet while the words were compared
    as written."""
    graded, result = bank_grade(
        "bert-vs-gpt",
        "BERT stacks Transformer encoders, GPT stacks decoders. "
        "BERT is good at understanding tasks like classification and extraction but cannot generate "
        "directly, and [MASK] never appears at fine-tuning time; GPT is natural for generation.",
    )
    point = next(c.id for c in graded.criteria if "understanding tasks" in c.terms)
    assert _verdicts(result)[point] in ("partial", "met")


def _verdicts(result: GradeResult) -> dict[str, str]:
    return {c.id: c.verdict for c in result.criteria}
