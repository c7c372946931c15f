"""A question's known misconceptions, matched in an answer by their phrasings: exactly, or loosely inside
one clause, and never where the statement negates them ("不需要偏好对" does not state "需要偏好对")."""

from __future__ import annotations

import re

from interviews.grading.contradiction import negations
from interviews.grading.text import ASCII_WORD, HAN, compact, normalise, term_found


def states(statement: str, phrasings: tuple[str, ...]) -> bool:
    """The statement makes a known wrong claim: one of its phrasings, not itself negated in the statement.

    A phrasing of four characters or more also matches with a few characters between its own, inside one
    clause ("减少查询头数" in "减少了查询头的数量", "KL 扣在奖励里" in "KL 惩罚和 PPO 一样扣在奖励里"):
    candidates rarely use the bank's exact words.
    """
    said = compact(statement)
    characters = frozenset(said)
    english: list[str] | None = None
    for phrasing in phrasings:
        if not HAN.search(phrasing):
            english = ASCII_WORD.findall(normalise(statement)) if english is None else english
            if _states_in_words(english, phrasing):
                return True
            continue
        span = _phrasing_span(phrasing, statement, said, characters)
        if span is None:
            continue
        # A loose match may hold a negation the phrasing does not have ("不需要偏好对" for "需要偏好对").
        if span[1] > span[0] and negations(said[span[0] : span[1]]) % 2 != negations(phrasing) % 2:
            continue
        rest = said[: span[0]] + said[span[1] :]
        if negations(rest) % 2 == 0:
            return True
    return False


_WORD_GAP = 2  # words an English phrasing's match may hold between two of its own ("is not as good as")


def _states_in_words(said: list[str], phrasing: str) -> bool:
    """An English phrasing, word by word: its words in order, at most `_WORD_GAP` others between two of them,
    with the phrasing's own negations and none elsewhere ("the forward pass is not faster" does not state
    "forward pass is faster"). Compact text would lose the spaces that make "not" a word."""
    wanted = ASCII_WORD.findall(normalise(phrasing))
    if not wanted:
        return False
    for first in (i for i, word in enumerate(said) if word == wanted[0]):
        last = _last_in_order(said, wanted, first)
        if last is None:
            continue
        inside, outside = " ".join(said[first : last + 1]), " ".join(said[:first] + said[last + 1 :])
        if negations(inside) % 2 == negations(phrasing) % 2 and negations(outside) % 2 == 0:
            return True
    return False


def _last_in_order(said: list[str], wanted: list[str], first: int) -> int | None:
    """Where the wanted words, the first at `first`, end in `said`: each within `_WORD_GAP` of the last."""
    at = first
    for word in wanted[1:]:
        found = next((j for j in range(at + 1, min(len(said), at + 2 + _WORD_GAP)) if said[j] == word), None)
        if found is None:
            return None
        at = found
    return at


# Where a loose match may not reach across, and how far it may spread: its characters in order over at
# most this many times its length.
_CLAUSE_MARK = re.compile(r"[，,；;：:。！？!?\n]")
_LOOSE_SPREAD = 2.5


def _phrasing_span(
    phrasing: str, statement: str, said: str, characters: frozenset[str]
) -> tuple[int, int] | None:
    """Where in the compact statement (`said`, made of `characters`) the phrasing stands, exactly or loosely;
    None if it does not."""
    wanted = compact(phrasing)
    if not wanted:
        return None
    start = said.find(wanted)
    if start >= 0:
        return start, start + len(wanted)
    if len(wanted) < 4:
        return (0, 0) if term_found(phrasing, statement) else None
    if not characters.issuperset(wanted):
        return None
    at = 0
    for clause in (compact(c) for c in _CLAUSE_MARK.split(statement)):
        if not clause:
            continue
        at = said.find(clause, at)
        found = _spread_in(wanted, clause)
        if found is not None:
            return at + found[0], at + found[1]
        at += len(clause)
    return None


def _spread_in(wanted: str, clause: str) -> tuple[int, int] | None:
    """The first span of the clause holding the wanted characters in order, at most `_LOOSE_SPREAD` times
    as long as they are."""
    longest = int(len(wanted) * _LOOSE_SPREAD)
    for first in (i for i, c in enumerate(clause) if c == wanted[0]):
        position = first
        for character in wanted[1:]:
            position = clause.find(character, position + 1, first + longest)
            if position < 0:
                break
        else:
            return first, position + 1
    return None
