"""The LLM judge learns from people, gated: answers people graded go into its prompt only once
`recalibrate_judge --examples K` measured that they make it agree better with held-aside human grades.

The fake model learns like a model would: a point a person withheld from an example holding the point's words
becomes "partial" for such an answer too. People here want more than the words, so examples help; when
people agree with the word-spotting, they change nothing and are not adopted.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from fakes.llm_server import FakeLLM
from interviews.grading import prompt
from interviews.grading.bank_input import judge_input
from interviews.grading.recalibration import is_held_aside
from interviews.grading.types import GradedExample
from interviews.models import ExamplesDecision, Grade
from interviews.services.grading import answer_grade
from questionbank.models import Question, rubric_fingerprint
from tests.interviews.factories import GradeFactory
from tests.interviews.grading.factories import submitted_attempt
from tests.interviews.grading.helpers import bank_question
from tests.questionbank.factories import QuestionFactory

pytestmark = pytest.mark.django_db

# Names the first point's claim in a sentence that explains it, the second point not at all.
ANSWER = "GQA 把查询头分成几组，每组共享一份 K/V，这就是分组共享。"
HELD_ASIDE = 0.5


@pytest.fixture
def question() -> Question:
    return QuestionFactory(
        prompt="GQA 和 MHA 有什么不同？",
        reference_answer="GQA 把查询头分组共享 K/V 头，因此 KV 缓存按组数变小，推理更省显存。",
        rubric=[
            {"description": "说明 GQA 把查询头分组、每组共享一份 K/V", "points": 5, "terms": ["分组共享"]},
            {"description": "说明 KV 缓存因此按组数变小", "points": 5, "terms": ["缓存变小"]},
        ],
    )


def graded_by_people(candidate: User, question: Question, first_point: str, count: int = 20) -> list[Grade]:
    """`count` answers making the first point in words, which people gave `first_point` and the second
    point nothing. Twenty, so that the hash split (by answer id, which differs from run to run) leaves at
    least two on each side but for a chance of about 1 in 25,000."""
    criteria = list(question.rubric.all())
    fingerprint = rubric_fingerprint(criteria, list(question.misconceptions.all()))
    points = {"met": 5.0, "partial": 2.5, "missed": 0.0}[first_point]
    grades = []
    for i in range(count):
        answer = submitted_attempt(candidate, [(question, f"{ANSWER}（{i}）")]).answers.get()
        grades.append(
            GradeFactory(
                answer=answer,
                judge=Grade.Judge.HUMAN,
                rubric_hash=fingerprint,
                score=Decimal(str(points)),
                max_score=10,
                criteria=[
                    {"criterion_id": str(criteria[0].pk), "verdict": first_point, "points": points},
                    {"criterion_id": str(criteria[1].pk), "verdict": "missed", "points": 0.0},
                ],
            )
        )
    return grades


def measure(count: int = 2) -> str:
    out = StringIO()
    call_command("recalibrate_judge", "--examples", str(count), "--held-aside", str(HELD_ASIDE), stdout=out)
    return out.getvalue()


def test_examples_that_agree_better_with_people_are_adopted_and_carried_by_later_grades(
    with_llm: FakeLLM, candidate: User, question: Question
) -> None:
    people = graded_by_people(candidate, question, "partial")
    printed = measure()

    held = [g for g in people if is_held_aside(str(g.answer_id), HELD_ASIDE)]
    assert f"{len(held)} human-graded answers held aside ({len(held)} with examples" in printed
    assert "without examples: Pearson" in printed and "MAE 2.50" in printed  # "met" where people said partial
    assert "with 2 examples: Pearson" in printed and "MAE 0.00" in printed
    assert "Examples adopted." in printed and "tokens in" in printed
    decision = ExamplesDecision.objects.get()
    assert decision.adopted and decision.examples == 2 and decision.held_aside == len(held)

    new = submitted_attempt(candidate, [(question, ANSWER)]).answers.get()
    with_llm.requests.clear()
    grade = answer_grade(answer_id=new.pk)
    assert grade is not None
    sent = with_llm.requests[-1]["messages"]
    assert "<<<EXAMPLE 1>>>" in sent[1]["content"] and "<<<EXAMPLE 3>>>" not in sent[1]["content"]
    assert "Verdicts: P1 partial; P2 missed" in sent[1]["content"]
    assert "<<<EXAMPLE" not in sent[2]["content"]  # in the static prefix, before the answer
    # Two of the newest human grades, never one held aside for measuring.
    shown = grade.audit["examples"]
    assert len(shown) == 2 and not any(is_held_aside(key, HELD_ASIDE) for key in shown)
    assert grade.judge_version.startswith(f"llm/{prompt.PROMPT_VERSION}+ex-")
    assert grade.criteria[0]["verdict"] == "partial"  # it graded as people do


def test_examples_that_change_nothing_are_not_adopted_and_grades_carry_none(
    with_llm: FakeLLM, candidate: User, question: Question
) -> None:
    graded_by_people(candidate, question, "met")
    printed = measure()
    assert "Examples not adopted (no gain on the held-aside answers)." in printed
    assert not ExamplesDecision.objects.get().adopted

    new = submitted_attempt(candidate, [(question, ANSWER)]).answers.get()
    grade = answer_grade(answer_id=new.pk)
    assert grade is not None
    assert "<<<EXAMPLE" not in with_llm.requests[-1]["messages"][1]["content"]
    assert grade.judge_version == f"llm/{prompt.PROMPT_VERSION}" and grade.audit["examples"] == []


def test_a_dry_run_records_nothing(with_llm: FakeLLM, candidate: User, question: Question) -> None:
    graded_by_people(candidate, question, "partial")
    out = StringIO()
    call_command("recalibrate_judge", "--examples", "2", "--held-aside", "0.5", "--dry-run", stdout=out)
    assert "Examples would be adopted (dry run: nothing written)." in out.getvalue()
    assert not ExamplesDecision.objects.exists()


def test_without_human_grades_held_aside_nothing_is_decided(with_llm: FakeLLM) -> None:
    printed = measure()
    assert "no human grade is held aside" in printed.lower() and "the prompt is kept as it is" in printed
    assert not ExamplesDecision.objects.exists()


def test_measuring_examples_needs_the_llm(settings) -> None:
    settings.OPENAI_API_KEY = ""
    with pytest.raises(CommandError, match="OPENAI_API_KEY"):
        measure()


def test_examples_sit_in_the_static_prefix_and_their_set_is_named() -> None:
    spec = bank_question("mqa-vs-gqa")
    given = judge_input(spec, "MQA 让所有查询头共享同一组 K/V。")
    first = given.criteria[0].id
    examples = (GradedExample("7", "一个回答。", ((first, "partial"),)),)
    with_examples = replace(given, examples=examples)
    block = prompt.question_block(with_examples)
    assert block.startswith(prompt.question_block(given).rsplit("Write reasoning", 1)[0])
    assert "<<<EXAMPLE 1>>>\n一个回答。\n<<<END EXAMPLE 1>>>\nVerdicts: P1 partial" in block
    assert prompt.examples_digest(given) == ""
    other = replace(given, examples=(GradedExample("8", "x", ()),))
    assert prompt.examples_digest(with_examples) != prompt.examples_digest(other)
