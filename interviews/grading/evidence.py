"""Whether an LLM's quote supports the rubric point it is given for: present, one span, long enough, related.

A model that was fooled (or is lazy) returns "met" with evidence that proves presence, not support: two
characters, fragments joined by "…" from all over the answer, the sentence of another point, the injected
instruction it obeyed. Each rule here catches one of those. Relatedness is the offline judge's own measure
(OfflineJudge.quote_supports: accepted terms, the description's key words, sentence meaning), not its copy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum

from interviews.grading.clauses import units
from interviews.grading.text import compact

_ELLIPSIS = re.compile(r"\.{3,}|…+")
# A quote shorter than this many characters (spacing and punctuation aside) shows no point,
MIN_EVIDENCE_CHARS = 4
# ... nor one shorter than this share of the point's description.
MIN_EVIDENCE_SHARE = 0.2
# Support (0..1, OfflineJudge.quote_supports) from which a quote is about the point; on the bank's reference
# sentences, 99 % of those holding a point's term reach it for their own point and 8 % for another point.
RELATED_SUPPORT = 0.2
# ... and a quote must support its point at least this share as well as the point it supports best.
RELATED_SHARE_OF_BEST = 0.5


class Problem(StrEnum):
    NOT_FOUND = "not_found"  # some part of it is not in the answer
    SPLICED = "spliced"  # fragments not from one sentence, in order
    TOO_SHORT = "too_short"
    UNRELATED = "unrelated"  # in the answer, but about no point of the rubric
    OTHER_POINT = "other_point"  # in the answer, about another point rather than this one


def fragments(quote: str) -> list[str]:
    """The quote's parts between ellipses, compacted (spacing and punctuation aside)."""
    return [part for part in (compact(p) for p in _ELLIPSIS.split(quote)) if part]


def in_answer(quote: str, answer: str) -> bool:
    """Every part of the quote occurs in the answer, spacing and punctuation aside."""
    parts = fragments(quote)
    answer_compact = compact(answer)
    return bool(parts) and all(part in answer_compact for part in parts)


def _in_order(parts: list[str], text: str) -> bool:
    start = 0
    for part in parts:
        found = text.find(part, start)
        if found < 0:
            return False
        start = found + len(part)
    return True


def text_problem(quote: str, answer: str, description: str) -> Problem | None:
    """What is wrong with the quote as text: absent, spliced, or too short for the point; None if nothing."""
    if not in_answer(quote, answer):
        return Problem.NOT_FOUND
    parts = fragments(quote)
    if len(parts) > 1 and not any(_in_order(parts, compact(u.text)) for u in units(answer) if u.whole):
        return Problem.SPLICED
    if sum(map(len, parts)) < max(MIN_EVIDENCE_CHARS, MIN_EVIDENCE_SHARE * len(compact(description))):
        return Problem.TOO_SHORT
    return None


def relation_problem(support: Mapping[str, float], criterion_id: str) -> Problem | None:
    """What is wrong with a quote, by its support for every point: about none, or about another one."""
    own = support.get(criterion_id, 0.0)
    best = max(support.values(), default=0.0)
    if best < RELATED_SUPPORT:
        return Problem.UNRELATED
    if own < RELATED_SUPPORT or own < RELATED_SHARE_OF_BEST * best:
        return Problem.OTHER_POINT
    return None
