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
    (inside one stretch); None if it does not. Names and numbers match whole ("ChatGLM-6B" is not in
    "ChatGLM2-6B", "O(n)" not in "O(n²)"), and never as what something is compared with: "Pre-LN 比 Post-LN
    更稳定" does not say "Post-LN 更稳定"."""
    wanted = compact(phrasing)
    if not wanted or (len(wanted) >= 4 and not characters.issuperset(wanted)):
        return None  # whether exact or loose, a match of four characters or more holds all of them
    runs = _runs(statement)
    pieces = _pieces(phrasing)
    start = said.find(wanted)
    while start >= 0:
        end = start + len(wanted)
        whole = _whole(pieces[0], start, runs) and _whole(pieces[-1], end - len(pieces[-1]), runs)
        if whole and not _compared_with(said, start):
            return start, end
        start = said.find(wanted, start + 1)
    if len(wanted) < 4:
        return (0, 0) if term_found(phrasing, statement) else None  # found, but not placed
    longest = int(len(wanted) * _LOOSE_SPREAD)
    for stretch in stretches:
        for first in _places(pieces[0], stretch.text, 0, len(stretch.text), stretch.start, runs):
            last = _spread_from(pieces, stretch, first, first + longest, runs)
            if last is not None and not _compared_with(said, stretch.start + first):
                return stretch.start + first, stretch.start + last
    return None


_RUN = re.compile(r"[a-z0-9]+")
_TOKEN = re.compile(r"[a-z0-9]+|[^a-z0-9]")


@lru_cache(maxsize=16384)
def _pieces(phrasing: str) -> tuple[str, ...]:
    """The phrasing as it is matched: each run of letters and digits (a name, a number: "k" and "v" of "K/V")
    whole, every other character of its compact text one by one."""
    tokens = _TOKEN.findall(normalise(phrasing))
    return tuple(p for token in tokens for p in ([token] if _RUN.fullmatch(token) else compact(token)))


_Runs = tuple[frozenset[int], frozenset[int]]  # where runs of letters and digits start, and where they end


@lru_cache(maxsize=4096)
def _runs(statement: str) -> _Runs:
    """Where the statement's runs of letters and digits start and end, in its compact text."""
    normalised = normalise(statement)
    kept = [0]
    for character in normalised:
        kept.append(kept[-1] + (compact(character) != ""))
    found = list(_RUN.finditer(normalised))
    return frozenset(kept[m.start()] for m in found), frozenset(kept[m.end()] for m in found)


def _whole(piece: str, start: int, runs: _Runs) -> bool:
    """A name or number of the phrasing found at `start` (compact) is a whole one of the statement's."""
    return not _RUN.fullmatch(piece) or (start in runs[0] and start + len(piece) in runs[1])


def _compared_with(said: str, start: int) -> bool:
    """The match stands right after 比: it names what something else is compared with."""
    return said[start - 1 : start] == "比"


def _places(piece: str, text: str, begin: int, limit: int, offset: int, runs: _Runs) -> list[int]:
    """Where the piece stands whole in text[begin:limit]; the text starts at `offset` in the statement."""
    places, at = [], text.find(piece, begin, limit)
    while at >= 0:
        if _whole(piece, offset + at, runs):
            places.append(at)
        at = text.find(piece, at + 1, limit)
    return places


def _spread_from(
    pieces: tuple[str, ...], stretch: _Stretch, first: int, limit: int, runs: _Runs
) -> int | None:
    """Where the pieces, the first at `first`, end in the stretch: each after the last, all before `limit`."""
    end = first + len(pieces[0])
    for piece in pieces[1:]:
        places = _places(piece, stretch.text, end, min(limit, len(stretch.text)), stretch.start, runs)
        if not places:
            return None
        end = places[0] + len(piece)
    return end
