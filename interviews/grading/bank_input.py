"""A bank question as the files hold it, turned into a judge's input (no Django, no database).

The worker builds judge inputs from database rows (interviews.services.judges); evaluations, benchmarks and
tests build them from the bank files with this one function. Read-only protocols keep it free of the bank's
loader: questionbank.bank_files.QuestionSpec fits them.

A question may have an English version beside its own; an answer is graded against the version in its language
(`graded_in_english_version`), so an English answer meets English rubric points, reference and feedback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from interviews.grading.text import written_in
from interviews.grading.types import CriterionInput, JudgeInput, MisconceptionInput


class CriterionLike(Protocol):
    @property
    def description(self) -> str: ...
    @property
    def description_en(self) -> str: ...
    @property
    def points(self) -> int: ...
    @property
    def terms(self) -> Sequence[str]: ...
    @property
    def terms_en(self) -> Sequence[str]: ...


class MisconceptionLike(Protocol):
    @property
    def claim(self) -> str: ...
    @property
    def claim_en(self) -> str: ...
    @property
    def phrasings(self) -> Sequence[str]: ...
    @property
    def phrasings_en(self) -> Sequence[str]: ...
    @property
    def contradicts(self) -> int: ...


class QuestionLike(Protocol):
    @property
    def slug(self) -> str: ...
    @property
    def prompt(self) -> str: ...
    @property
    def prompt_en(self) -> str: ...
    @property
    def reference_answer(self) -> str: ...
    @property
    def reference_answer_en(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def rubric(self) -> Sequence[CriterionLike]: ...
    @property
    def misconceptions(self) -> Sequence[MisconceptionLike]: ...


def graded_in_english_version(*, language: str, prompt_en: str, answer: str) -> bool:
    """Whether an answer is graded against the question's English version (its `*_en` fields): an English
    answer to a question in another language that has one. A question written in English keeps its own
    fields."""
    return bool(prompt_en) and language != "en" and written_in(answer, default=language) == "en"


def judge_input(question: QuestionLike, answer: str, subject: str = "") -> JudgeInput:
    """What the app gives a judge for this question: rubric points c1..cn and the misconceptions.

    `subject` (what the question is about, e.g. its topics' names) goes into the LLM's prompt."""
    english = graded_in_english_version(
        language=question.language, prompt_en=question.prompt_en, answer=answer
    )
    return JudgeInput(
        question=question.prompt_en if english else question.prompt,
        reference=question.reference_answer_en if english else question.reference_answer,
        criteria=tuple(
            CriterionInput(
                id=f"c{i}",
                description=c.description_en if english else c.description,
                points=c.points,
                terms=tuple(c.terms_en if english else c.terms),
            )
            for i, c in enumerate(question.rubric, 1)
        ),
        answer=answer,
        language="en" if english else question.language,
        misconceptions=tuple(
            MisconceptionInput(
                claim=m.claim_en if english else m.claim,
                phrasings=tuple(m.phrasings_en if english else m.phrasings),
                criterion_id=f"c{m.contradicts}",
            )
            for m in question.misconceptions
        ),
        subject=subject,
    )
