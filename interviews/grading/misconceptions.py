"""A question's known misconceptions, matched in an answer by their phrasings: exactly, or loosely inside
one clause, and never where the statement negates them ("不需要偏好对" does not state "需要偏好对")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from interviews.grading.contradiction import negations, opening_negation
from interviews.grading.text import ASCII_WORD, HAN, compact, normalise, term_found


def states(statement: str, phrasings: tuple[str, ...]) -> bool:
    """The statement makes a known wrong claim: one of its phrasings, not itself negated in the statement.

    A phrasing of four characters or more also matches with a few characters between its own, inside one
    clause ("减少查询头数" in "减少了查询头的数量", "KL 扣在奖励里" in "KL 惩罚和 PPO 一样扣在奖励里"):
    candidates rarely use the bank's exact words. A negation denies the phrasing only inside the stretch of
    the statement that holds it (see `_BREAK`), or when the sentence opens with it ("并不是说，…").
    """
    said = compact(statement)
    characters = frozenset(said)
    stretches = _stretches(statement)
    for phrasing in phrasings:
        if not HAN.search(phrasing):
            if any(_states_in_words(s.words, phrasing, _opening(s, stretches, statement)) for s in stretches):
                return True
            continue
        span = _phrasing_span(phrasing, statement, said, characters, stretches)
        if span is None:
            continue
        # A loose match may hold a negation the phrasing does not have ("不需要偏好对" for "需要偏好对").
        if span[1] > span[0] and negations(said[span[0] : span[1]]) % 2 != negations(phrasing) % 2:
            continue
        if _denied_around(span, said, stretches, statement) % 2 == 0:
            return True
    return False


# Where a negation's reach ends: a clause mark, or a contrast ("不是 A 而是 B", "A，但 B", "X but Y").
# "RAG 不能根除幻觉，也无法杜绝幻觉" denies both; counted over the whole sentence, its negations cancel out.
_BREAK = re.compile(r"[，,；;：:。！？!?\n]|而|但|不过|可是|\b(?:but|whereas)\b", re.IGNORECASE)
_CONTRAST = re.compile(r"而|但|不过|可是|\b(?:but|whereas)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Stretch:
    """A stretch of the statement between breaks: its compact text, where it starts in the compact
    statement, its English words, and whether a contrast stands between it and the statement's start."""

    text: str
    start: int
    words: tuple[str, ...]
    after_contrast: bool


@lru_cache(maxsize=4096)
def _stretches(statement: str) -> tuple[_Stretch, ...]:
    """The statement cut at every `_BREAK`; remembered, as each statement is read for every misconception."""
    said = compact(statement)
    found, at, contrasted, previous = [], 0, False, 0
    for mark in [*_BREAK.finditer(statement), None]:
        piece = statement[previous : mark.start() if mark else len(statement)]
        text = compact(piece)
        if text:
            at = said.find(text, at)
            found.append(_Stretch(text, at, tuple(ASCII_WORD.findall(normalise(piece))), contrasted))
            at += len(text)
        if mark is not None:
            contrasted = contrasted or bool(_CONTRAST.fullmatch(mark.group()))
            previous = mark.end()
    return tuple(found)


def _denied_around(span: tuple[int, int], said: str, stretches: tuple[_Stretch, ...], statement: str) -> int:
    """Negations around a match that deny it: in the stretches it touches, beside it, and the one the sentence
    opens with when the match lies in a later stretch and no contrast comes between."""
    touched = [s for s in stretches if s.start < span[1] and span[0] < s.start + len(s.text)]
    if not touched:  # a short phrasing found as a term, not placed: the whole statement
        return negations(said)
    first, last = touched[0], touched[-1]
    around = negations(said[first.start : span[0]] + said[span[1] : last.start + len(last.text)])
    return around + _opening(first, stretches, statement)


def _opening(stretch: _Stretch, stretches: tuple[_Stretch, ...], statement: str) -> int:
    """1 where the sentence opens with a negation ("并不是说，…") whose reach the stretch is in."""
    later = stretch is not stretches[0] and not stretch.after_contrast
    return int(later and bool(opening_negation(statement)))


_WORD_GAP = 2  # words an English phrasing's match may hold between two of its own ("is not as good as")


def _states_in_words(said: tuple[str, ...], phrasing: str, opening: int) -> bool:
    """An English phrasing, word by word within one stretch's words: in order, at most `_WORD_GAP` others
    between two of them, with the phrasing's own negations and none elsewhere in the stretch, nor an `opening`
    one ("the forward pass is not faster" does not state "forward pass is faster"). Compact text would lose
    the spaces that make "not" a word."""
    wanted = ASCII_WORD.findall(normalise(phrasing))
    if not wanted:
        return False
    for first in (i for i, word in enumerate(said) if word == wanted[0]):
        last = _last_in_order(said, wanted, first)
        if last is None:
            continue
        inside, outside = " ".join(said[first : last + 1]), " ".join(said[:first] + said[last + 1 :])
        denied = negations(outside) + opening
        if negations(inside) % 2 == negations(phrasing) % 2 and denied % 2 == 0:
            return True
    return False


def _last_in_order(said: tuple[str, ...], wanted: list[str], first: int) -> int | None:
    """Where the wanted words, the first at `first`, end in `said`: each within `_WORD_GAP` of the last."""
    at = first
    for word in wanted[1:]:
        found = next((j for j in range(at + 1, min(len(said), at + 2 + _WORD_GAP)) if said[j] == word), None)
        if found is None:
            return None
        at = found
    return at


# How far a loose match may spread: its characters in order over at most this many times its length.
_LOOSE_SPREAD = 2.5


def _phrasing_span(
    phrasing: str, statement: str, said: str, characters: frozenset[str], stretches: tuple[_Stretch, ...]
) -> tuple[int, int] | None:
    """Where in the compact statement (`said`, made of `characters`) the phrasing stands, exactly or loosely
    (inside one stretch); None if it does not."""
    wanted = compact(phrasing)
    if not wanted:
        return None
    start = said.find(wanted)
    if start >= 0:
        return start, start + len(wanted)
    if len(wanted) < 4:
        return (0, 0) if term_found(phrasing, statement) else None  # found, but not placed
    if not characters.issuperset(wanted):
        return None
    for stretch in stretches:
        found = _spread_in(wanted, stretch.text)
        if found is not None:
            return stretch.start + found[0], stretch.start + found[1]
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
