from __future__ import annotations

import pytest

from interviews.grading.reference import ReferenceJudge
from interviews.grading.text import compact, term_found
from interviews.grading.types import CriterionInput, Flag, JudgeInput
from tests.interviews.grading.helpers import OFF_TOPIC, bank_question, bank_questions, half_answer, judge_input

judge = ReferenceJudge()
SLUGS = [q.slug for q in bank_questions()]


@pytest.mark.parametrize("slug", SLUGS)
def test_the_reference_answer_scores_at_least_85_percent(slug: str) -> None:
    spec = bank_question(slug)
    result = judge.grade(judge_input(spec, spec.reference_answer))
    assert result.fraction >= 0.85, [(c.id, c.verdict, c.points) for c in result.criteria]
    assert result.flags == ()


@pytest.mark.parametrize("slug", SLUGS)
def test_empty_and_off_topic_answers_score_at_most_10_percent_and_are_flagged(slug: str) -> None:
    spec = bank_question(slug)
    empty = judge.grade(judge_input(spec, "  \n。"))
    assert empty.score == 0
    assert Flag.EMPTY in empty.flags
    for text in OFF_TOPIC.values():
        off_topic = judge.grade(judge_input(spec, text))
        assert off_topic.fraction <= 0.10
        assert Flag.OFF_TOPIC in off_topic.flags


@pytest.mark.parametrize("slug", SLUGS)
def test_an_answer_making_half_the_points_lands_in_between(slug: str) -> None:
    spec = bank_question(slug)
    answer, share, made = half_answer(spec)
    result = judge.grade(judge_input(spec, answer))
    reference = judge.grade(judge_input(spec, spec.reference_answer))
    assert 0.10 < result.fraction < reference.fraction
    assert abs(result.fraction - share) <= 0.25, (result.fraction, share)
    credited = {c.id for c in result.criteria if c.verdict == "met"}
    assert credited >= made
    assert Flag.OFF_TOPIC not in result.flags


def test_evidence_is_a_sentence_quoted_from_the_answer() -> None:
    spec = bank_question("mqa-vs-gqa")
    answer = "MHA 每个头都有独立的 K/V。\nMQA 让所有查询头共享同一组 K/V，KV cache 小很多。"
    result = judge.grade(judge_input(spec, answer))
    quoted = [c.evidence for c in result.criteria if c.verdict != "missed"]
    assert quoted
    assert all(e in answer for e in quoted)
    by_id = {c.id: c for c in result.criteria}
    assert by_id["c2"].evidence == "MQA 让所有查询头共享同一组 K/V，KV cache 小很多。"
    assert by_id["c2"].verdict == "met"


def test_the_offline_judge_is_deterministic_and_its_total_is_the_sum_of_its_points() -> None:
    spec = bank_question("mqa-vs-gqa")
    answer, _, _ = half_answer(spec)
    first, second = judge.grade(judge_input(spec, answer)), judge.grade(judge_input(spec, answer))
    assert first.criteria == second.criteria
    assert first.score == sum(c.points for c in first.criteria)
    assert first.max_score == sum(c.points for c in spec.rubric)
    assert (first.judge, first.model) == ("offline", "reference-1")


def test_terms_match_across_width_case_and_spacing_but_ascii_terms_only_as_whole_words() -> None:
    assert term_found("KV cache", "减小ＫＶ　Cache 的大小")
    assert term_found("共享 K/V", "所有头共享K/V")
    assert not term_found("RoPE", "Europe 的位置")
    assert term_found("RoPE", "用了RoPE编码")
    assert compact("Ａ，B c！") == "abc"


def test_feedback_is_written_in_the_question_language() -> None:
    criteria = (
        CriterionInput("a", "explain that attention weights values by query-key similarity", 2, ("softmax",)),
    )
    english = JudgeInput(
        question="What does attention compute?",
        reference="A softmax of query-key similarity weights the values.",
        criteria=criteria,
        answer="It applies a softmax to query-key scores and averages the values.",
        language="en",
    )
    result = judge.grade(english)
    assert result.feedback.startswith("Covered 1 of 1 key points")
    spec = bank_question("mqa-vs-gqa")
    assert "要点" in judge.grade(judge_input(spec, "MQA 共享 K/V。")).feedback
