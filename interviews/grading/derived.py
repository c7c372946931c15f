"""Checkable points for a question without a rubric, derived from its reference answers.

Reference answers are alternatives: each gives its own set of points (tagged with its number,
`alternative`), and a
judge grades an answer against the set of the reference it matches best, never against their union.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from interviews.grading.text import tokens
from interviews.grading.types import CriterionInput

# Key statements end at sentence marks, enumerations ("①", "(1)", "1.") and commas between clauses.
_STATEMENT_BREAK = re.compile(
    r"[。；;！!？?\n]|(?<!\d)[，,](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩]|(?<![A-Za-z])[(（]\d+[)）]|(?<![\d.])\d+[.、](?!\d)"
)


def statements(reference: str) -> list[str]:
    """The key statements of one reference; one repeating most words of an earlier one is dropped."""
    kept: list[tuple[str, frozenset[str]]] = []
    for part in _STATEMENT_BREAK.split(reference):
        statement = part.strip()
        words = frozenset(tokens(statement))
        if words and not any(len(words & seen) >= 0.8 * len(words) for _, seen in kept):
            kept.append((statement, words))
    return [statement for statement, _ in kept]


def criteria_from_references(references: Sequence[str]) -> tuple[CriterionInput, ...]:
    """One point per key statement of a reference; with several references, one set per reference."""
    present = [r for r in references if r.strip()]
    several = len(present) > 1
    return tuple(
        CriterionInput(
            id=f"r{number}.k{i}" if several else f"k{i}",
            description=statement,
            points=1,
            alternative=number if several else 0,
        )
        for number, reference in enumerate(present, 1)
        for i, statement in enumerate(statements(reference), 1)
    )
