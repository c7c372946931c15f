"""Checkable points for a question without a rubric, derived from its reference answers.

Reference answers are alternatives: each gives its own set of points (tagged with its number,
`alternative`), and a
judge grades an answer against the set of the reference it matches best, never against their union.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from interviews.grading.formulas import quantities
from interviews.grading.text import tokens
from interviews.grading.types import CriterionInput, JudgeInput
from interviews.grading.verdicts import only_verdict

# Key statements end at sentence marks, enumerations ("①", "(1)", "1." where a piece starts, not the "6、" of
# "3、6、9") and commas between clauses.
_STATEMENT_BREAK = re.compile(
    r"[。；;！!？?\n]|(?<!\d)[，,](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩]|(?<![A-Za-z])[(（]\d+[)）]|(?<![^\s:：，,。；;！!？?])\d+[.、](?!\d)"
)


# A piece that sets the scene for the next one and says nothing itself: a condition ("等概率前提下",
# "当需要最少比较次数时"), a place or topic ("而在链表中", "对于双链表"), a label ("顺序表：").
_SETTING = re.compile(
    r"^(?:(?:而|但|并且)?(?:在|当|若|如果|假设|假如|对于)\S{0,12}(?:中|里|上|下|内|时|后|前|来说|而言)"
    r"|\S{0,12}(?:前提下|情况下|条件下|的时候|时))$|^\S{1,12}[:：]$"
    r"|^(?:而|但)?(?:若|如果|假设|假如)[^，,。；;]{1,60}$"
)


def statements(reference: str) -> list[str]:
    """The key statements of one reference; one repeating most words of an earlier one is dropped (unless
    it states another result: "平均移动 (n-1)/3 个" after "平均移动 (n-1)/2 个"), and a condition, place or
    label is read with the statement it opens (a point of its own, it would be met by any clause that
    sounds alike)."""
    kept: list[tuple[str, frozenset[str], frozenset[str]]] = []
    setting = ""
    for part in _STATEMENT_BREAK.split(reference):
        statement = part.strip()
        if not statement:
            continue
        if setting:
            statement = f"{setting}{'' if setting.endswith((':', '：')) else '，'}{statement}"
        if _SETTING.match(statement):
            setting = statement
            continue
        setting = ""
        words = frozenset(tokens(statement))
        result = quantities(statement)
        if words and not any(
            len(words & seen) >= 0.8 * len(words) and result <= stated for _, seen, stated in kept
        ):
            kept.append((statement, words, result))
    if setting:  # the reference ends with it: nothing to read it with
        kept.append((setting, frozenset(tokens(setting)), quantities(setting)))
    return [statement for statement, _, _ in kept]


def criteria_from_references(references: Sequence[str]) -> tuple[CriterionInput, ...]:
    """One point per key statement of a reference; with several references, one set per reference.

    A judgement question's verdict ("错误。") weighs half what an explaining statement weighs: a bare verdict
    is a guess with even odds, and people grading give it little (2 of 10 for "叙述错误" in ads-dev).
    """
    present = [r for r in references if r.strip()]
    several = len(present) > 1
    criteria: list[CriterionInput] = []
    for number, reference in enumerate(present, 1):
        found = statements(reference)
        judged = any(only_verdict(s) for s in found)
        criteria.extend(
            CriterionInput(
                id=f"r{number}.k{i}" if several else f"k{i}",
                description=statement,
                points=2 if judged and not only_verdict(statement) else 1,
                alternative=number if several else 0,
            )
            for i, statement in enumerate(found, 1)
        )
    return tuple(criteria)


def row_input(row: Mapping[str, str], answer: str) -> JudgeInput:
    """The judge input for `answer` to the question of an ADS-style row (question, reference1..3, no
    rubric): its references as alternatives, its points derived from them."""
    references = tuple(r for r in (row.get(f"reference{i}", "") for i in (1, 2, 3)) if r.strip())
    return JudgeInput(
        question=row["question"],
        reference=references[0],
        extra_references=references[1:],
        criteria=_derived_criteria(references),
        answer=answer,
    )


@lru_cache(maxsize=256)
def _derived_criteria(references: tuple[str, ...]) -> tuple[CriterionInput, ...]:
    """Derived once per question: a dataset grades many answers to each."""
    return criteria_from_references(references)
