"""The adversarial answers (interviews/grading/adversarial.py) and the offline judge's thresholds on them."""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from io import StringIO

import pytest
from django.core.management import call_command

from interviews.grading import adversarial, rewrites
from interviews.grading.text import term_found
from questionbank.bank_files import read_bank

ZH = (
    "注意力是对值向量的加权平均。模型会遗忘旧知识，显存可以节省一半；每个头有独立的投影矩阵。\n"
    "- **训练**：增大学习率之后，损失先下降再上升。"
)
EN = "The cache is small. It can run on one GPU, and training uses more memory than inference."
NEGATOR = re.compile("不|没|无|非|未")


@dataclass(frozen=True)
class Criterion:
    description: str
    points: int
    terms: tuple[str, ...]
    description_en: str = ""
    terms_en: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    slug: str
    reference_answer: str
    rubric: tuple[Criterion, ...]
    prompt: str = "问题"
    language: str = "zh"
    prompt_en: str = ""
    reference_answer_en: str = ""
    misconceptions: tuple = field(default=())


QUESTIONS = (
    Question(
        "a", ZH, (Criterion("加权", 5, ("加权平均", "weighted sum")), Criterion("显存", 5, ("节省显存",)))
    ),
    Question(
        "b", "旋转位置编码把 q、k 按位置旋转。内积只依赖相对位置。", (Criterion("相对", 10, ("RoPE",)),)
    ),
    Question(
        "c", "混合精度训练保留 FP32 主权重，并用损失缩放防止下溢。", (Criterion("主权重", 10, ("主权重",)),)
    ),
)
TOPICS = {"a": ["attention"], "b": ["position"], "c": ["training"]}


def test_filler_is_at_least_three_times_the_answer_and_appended() -> None:
    padded = rewrites.padded(ZH, random.Random(1))
    assert padded.startswith(ZH)
    assert len(padded) - len(ZH) >= 3 * len(ZH)
    assert not any(term_found(t, padded[len(ZH) :]) for q in QUESTIONS for c in q.rubric for t in c.terms)


def test_field_filler_takes_whole_references_of_questions_sharing_no_topic() -> None:
    bank = read_bank()
    question = bank.questions[0]
    padding = adversarial.field_filler(question, bank.questions, bank.question_topics)
    assert padding == adversarial.field_filler(question, bank.questions, bank.question_topics)
    assert len(padding) >= 3 * len(question.reference_answer)
    mine = set(bank.question_topics[question.slug])
    used = [q for q in bank.questions if q.reference_answer in padding]
    assert used and all(not mine & set(bank.question_topics[q.slug]) for q in used)


def test_every_kind_is_built_for_every_question_and_the_output_is_deterministic() -> None:
    paraphrases, translations = {"a": "换个说法"}, {"b": ("中文回答", "An English answer")}
    first = adversarial.build_cases(QUESTIONS, paraphrases, translations, topics_of=TOPICS)
    again = adversarial.build_cases(QUESTIONS, paraphrases, translations, topics_of=TOPICS)
    assert first == again
    kinds = Counter(case.kind for case in first)
    assert kinds["reference"] == kinds["shuffled"] == kinds["other"] == 3
    assert kinds["paraphrase"] == kinds["chinese"] == kinds["english"] == 1
    english = next(case for case in first if case.kind == "english")
    assert english.language == "en" and english.slug == "b"


def test_other_takes_the_reference_of_a_question_that_shares_no_topic() -> None:
    topics = {**TOPICS, "b": ["position", "attention"]}  # "b" shares a's topic, though not as its first
    cases = adversarial.build_cases(QUESTIONS, {}, {}, topics_of=topics, kinds=["other"])
    answer_of_a = next(case.answer for case in cases if case.slug == "a")
    assert answer_of_a == QUESTIONS[2].reference_answer


def test_filler_and_english_bring_the_kind_they_are_measured_against() -> None:
    assert adversarial.needed_kinds(["filler", " english", ""]) == [
        "reference",
        "filler",
        "chinese",
        "english",
    ]
    assert adversarial.needed_kinds([""]) == list(adversarial.KINDS)


def test_the_data_files_hold_enough_answers_to_bank_questions() -> None:
    bank = {q.slug: q for q in read_bank().questions}
    paraphrases, translations = adversarial.read_paraphrases(), adversarial.read_translations()
    assert len(paraphrases) >= 25 and len(translations) >= 25
    assert set(paraphrases) <= set(bank) and set(translations) <= set(bank)
    for slug, answer in paraphrases.items():
        used = [t for c in bank[slug].rubric for t in c.terms if term_found(t, answer)]
        assert not used, f"the paraphrase of {slug} uses accepted terms {used}"
        assert 150 <= len(re.sub(r"\s", "", answer)) <= 400, slug


def test_the_command_prints_the_table_the_means_and_the_checks() -> None:
    out = StringIO()
    call_command(
        "evaluate_judge", "--adversarial", "--kinds", "keywords,filler", "--limit-questions", "2", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert lines[1].split() == ["question", "reference", "keywords", "filler"]
    assert lines[4].startswith("mean") and len(lines[4].split()) == 4
    assert any(re.match(r"(PASS|FAIL) keywords: mean [\d.]+ \(≤ 20\)", line) for line in lines)
    assert any(line.split()[1:3] == ["filler", "flagged:"] for line in lines)


# Rows of the table the offline judge does not meet yet (measured, see README): each fails loudly the day it
# passes (strict), so that it moves up into the checked rows.
NOT_YET_MET = {
    "other flagged off topic": "4 of 97 answers to a question of another topic are not flagged",
}


@pytest.fixture(scope="module")
def bank_report() -> adversarial.Report:
    """Every adversarial answer to every bank question, graded once by the offline judge (about 600)."""
    from interviews.management.commands.evaluate_judge import _judge

    bank = read_bank()
    cases = adversarial.build_cases(
        bank.questions,
        adversarial.read_paraphrases(),
        adversarial.read_translations(),
        topics_of=bank.question_topics,
    )
    return adversarial.report(adversarial.grade_cases(cases, bank.questions, _judge("offline")))


def _check_names() -> list[str]:
    kinds = [t.kind for t in adversarial.THRESHOLDS]
    return [*kinds, "filler flagged", "field_filler flagged", "other flagged off topic"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=NOT_YET_MET[name]))
        if name in NOT_YET_MET
        else name
        for name in _check_names()
    ],
)
def test_the_offline_judge_meets_the_adversarial_threshold(
    bank_report: adversarial.Report, name: str
) -> None:
    checks = {c.name: c for c in bank_report.checks}
    assert checks[name].passed, checks[name].text
