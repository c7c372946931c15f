"""A bank question as the files hold it, turned into a judge's input (no Django, no database).

The worker builds judge inputs from database rows (interviews.services.judges); evaluations, benchmarks and
tests build them from the bank files with this one function. Read-only protocols keep it free of the bank's
loader: questionbank.bank_files.QuestionSpec fits them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from interviews.grading.types import CriterionInput, JudgeInput, MisconceptionInput


class CriterionLike(Protocol):
    @property
    def description(self) -> str: ...
    @property
    def points(self) -> int: ...
    @property
    def terms(self) -> Sequence[str]: ...


class MisconceptionLike(Protocol):
    @property
    def claim(self) -> str: ...
    @property
    def phrasings(self) -> Sequence[str]: ...
    @property
    def contradicts(self) -> int: ...


class QuestionLike(Protocol):
    @property
    def slug(self) -> str: ...
    @property
    def prompt(self) -> str: ...
    @property
    def reference_answer(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def rubric(self) -> Sequence[CriterionLike]: ...
    @property
    def misconceptions(self) -> Sequence[MisconceptionLike]: ...


def judge_input(question: QuestionLike, answer: str, language: str | None = None) -> JudgeInput:
    """What the app gives a judge for this question: rubric points c1..cn and the misconceptions."""
    return JudgeInput(
        question=question.prompt,
        reference=question.reference_answer,
        criteria=tuple(
            CriterionInput(id=f"c{i}", description=c.description, points=c.points, terms=tuple(c.terms))
            for i, c in enumerate(question.rubric, 1)
        ),
        answer=answer,
        language=language or question.language,
        misconceptions=tuple(
            MisconceptionInput(claim=m.claim, phrasings=tuple(m.phrasings), criterion_id=f"c{m.contradicts}")
            for m in question.misconceptions
        ),
    )
