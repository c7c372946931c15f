"""Word salad: a statement made of the reference's words in an order no sentence of the reference uses.

A candidate's own wording shares few words with the reference, so it is not judged here; a statement built
mostly from reference words taken from one stretch of it must also keep their order and their neighbours, as
real sentences do (one gathering them from all over a long reference is the candidate's own sentence). An
answer with several such sentences is scrambled text, and its short sentences, too short to judge alone, are
judged by the order of their tokens.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from interviews.grading.text import han_characters, words

_MIN_SHARED = 3
_MIN_WORDS = 6  # shorter statements are too short to judge their word order
# Statements with at least this share of reference words are checked: a shuffled one has nothing else, while a
# candidate's own sentence mixes common words the reference also uses with its own.
_VOCABULARY_SHARE = 0.9
_MIN_ORDER = 0.6  # consecutive shared words in the reference's order
_MIN_NEIGHBOURS = 0.25  # adjacent word pairs also side by side in the reference: fewer, with order broken
_NO_NEIGHBOURS = 0.1  # ... or hardly any such pair, whatever the order
# On Chinese characters (letters are too few to tell anything: any English sentence is made of a long one's
# letters), a statement is scrambled when it has this many, nearly all of them the reference's and nearly all
# found in one stretch of the reference at most twice its length, yet less than half of them stand in three in
# a row that the reference also has.
_MIN_CHARACTERS = 12
_CHARACTER_SHARE = 0.9
_STRETCH_SHARE = 0.9
_STRETCH = 2
_IN_ORDER = 0.5
# An answer with at least two salad sentences, and 30 % of those long enough to judge, is scrambled text: its
# sentences of four tokens or more are salad too unless 80 % of their tokens stand in three in a row that the
# reference also has.
_SCRAMBLED_ANSWER_MIN = 2
_SCRAMBLED_ANSWER_SHARE = 0.3
_MIN_TOKENS = 4
_IN_ORDER_SCRAMBLED = 0.8
_TOKEN = re.compile(r"[a-z0-9_]+|\S")


class ReferenceText:
    """The words, word pairs and word positions of a reference text, computed once per question."""

    def __init__(self, texts: Iterable[str], sentences: Iterable[str] = ()) -> None:
        """`texts`: the statements word order is judged against; `sentences`: the reference's sentences in
        order, whose characters a scrambled sentence's are compared with."""
        kept = [t for t in texts if t.strip()]
        in_order = list(sentences)
        self.statements = [words(t) for t in kept]
        # The whole reference as one run of characters (a scrambled sentence may straddle two of its
        # sentences), then each statement (rubric points among them) on its own.
        whole = ["".join(han_characters(t) for t in in_order), *(han_characters(t) for t in kept)]
        self.characters = [text for text in whole if text]
        self.character_counts = [Counter(text) for text in self.characters]
        self.han = frozenset(c for text in self.characters for c in text)
        self.trigrams = _trigrams(self.characters)
        # ... and as tokens, formulas' and code's among them.
        self.token_trigrams = _trigrams([_tokens(t) for t in [*in_order, *kept]])
        self.vocabulary = frozenset(w for s in self.statements for w in s)
        self.words_in_order = words(" ".join(in_order or kept))
        self.word_counts = Counter(self.words_in_order)
        self.pairs = frozenset(p for s in self.statements for p in zip(s, s[1:], strict=False))

    def salad(self, sentences: Sequence[str]) -> set[int]:
        """The indexes of the sentences that are salad. Where several of those long enough to judge are, the
        answer is scrambled text, and every sentence of it is judged by the order of its tokens alone: one
        copied or written as a sentence keeps runs of the reference's, a shuffled one breaks them."""
        found = {i for i, s in enumerate(sentences) if self.is_salad(s)}
        judged = sum(len(words(s)) >= _MIN_WORDS for s in sentences)
        if len(found) < _SCRAMBLED_ANSWER_MIN or len(found) < _SCRAMBLED_ANSWER_SHARE * judged:
            return found
        return found | {i for i, s in enumerate(sentences) if self._tokens_out_of_order(_tokens(s))}

    def is_salad(self, statement: str) -> bool:
        said = words(statement)
        if len(said) < _MIN_WORDS:
            return False
        if self._scrambled(han_characters(statement)):
            return True
        shared = [w for w in said if w in self.vocabulary]
        if len(shared) < _MIN_SHARED or len(shared) < _VOCABULARY_SHARE * len(said):
            return False
        if not self._from_one_stretch(said, han_characters(statement)):
            return False  # words gathered from all over the reference: a sentence of its own, not a shuffle
        neighbours = sum(p in self.pairs for p in zip(said, said[1:], strict=False)) / (len(said) - 1)
        return neighbours < _NO_NEIGHBOURS or (
            neighbours < _MIN_NEIGHBOURS and self._order(said) < _MIN_ORDER
        )

    def _scrambled(self, said: str) -> bool:
        """Nearly all its characters come from one stretch of the reference, yet few of them in the
        reference's order: the stretch's words (and the marks of its formulas) were shuffled, whatever the
        word segmentation makes of the result."""
        if len(said) < _MIN_CHARACTERS or not self._out_of_order(said):
            return False
        # A candidate's own sentence borrows characters from all over a long reference; a shuffled one takes
        # them from one place.
        return any(
            _in_one_stretch(said, text, counts)
            for text, counts in zip(self.characters, self.character_counts, strict=True)
        )

    def _from_one_stretch(self, said: tuple[str, ...], characters: str) -> bool:
        """Nearly all its words, or its Chinese characters (a shuffle's characters regroup into other words),
        come from one stretch of the reference at most twice its length."""
        if _in_one_stretch(said, self.words_in_order, self.word_counts):
            return True
        return bool(characters) and any(
            _in_one_stretch(characters, text, counts)
            for text, counts in zip(self.characters, self.character_counts, strict=True)
        )

    def _out_of_order(self, said: str) -> bool:
        """Nearly all its characters are the reference's, yet few of them stand in three in a row that the
        reference also has."""
        if sum(c in self.han for c in said) < _CHARACTER_SHARE * len(said):
            return False  # many characters the reference never uses: a candidate's own words
        return _in_order(said, self.trigrams) < _IN_ORDER

    def _tokens_out_of_order(self, said: Sequence[str]) -> bool:
        """Few of its tokens stand in three in a row that the reference also has."""
        return len(said) >= _MIN_TOKENS and _in_order(said, self.token_trigrams) < _IN_ORDER_SCRAMBLED

    def _order(self, said: tuple[str, ...]) -> float:
        """Share of consecutive shared words that keep their order in the reference statement sharing most."""
        best = max(self.statements, key=lambda s: len(set(s) & set(said)))
        position = {w: i for i, w in reversed(list(enumerate(best)))}
        ranks = [position[w] for w in dict.fromkeys(said) if w in position]
        if len(ranks) < _MIN_SHARED:
            return 1.0
        return sum(a < b for a, b in zip(ranks, ranks[1:], strict=False)) / (len(ranks) - 1)


def _in_one_stretch(said: Sequence[str], text: Sequence[str], counts: Counter[str]) -> bool:
    """Whether one stretch of `text` at most `_STRETCH` times as long as `said` holds `_STRETCH_SHARE` of
    `said`'s items (as a multiset): a window slid along `text`, its overlap with `said` updated one item at a
    time. `counts` are `text`'s items: no stretch holds more than the whole text, which most often settles it
    without sliding."""
    needed = Counter(said)
    wanted = _STRETCH_SHARE * len(said)
    if sum(min(n, counts[c]) for c, n in needed.items()) < wanted:
        return False
    window: dict[str, int] = {}
    length = int(len(said) * _STRETCH) + 1
    overlap = 0
    for i, c in enumerate(text):
        need = needed.get(c, 0)
        if need:
            have = window.get(c, 0)
            overlap += have < need
            window[c] = have + 1
        if i >= length:
            gone = text[i - length]
            need = needed.get(gone, 0)
            if need:
                have = window[gone] - 1
                window[gone] = have
                overlap -= have < need
        if overlap >= wanted:
            return True
    return False


def _tokens(text: str) -> tuple[str, ...]:
    """A text's Chinese characters, words of letters and digits, and marks, lower-cased, without spaces."""
    return tuple(_TOKEN.findall(text.lower()))


def _trigrams(texts: Iterable[Sequence[str]]) -> frozenset[Sequence[str]]:
    return frozenset(text[i : i + 3] for text in texts for i in range(len(text) - 2))


def _in_order(said: Sequence[str], trigrams: frozenset[Sequence[str]]) -> float:
    """The share of `said`'s items that stand in a run of three found in `trigrams`."""
    in_order = [False] * len(said)
    for i in range(len(said) - 2):
        if said[i : i + 3] in trigrams:
            in_order[i] = in_order[i + 1] = in_order[i + 2] = True
    return sum(in_order) / len(said)
