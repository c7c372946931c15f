"""Word salad: a statement made of the reference's words in an order no sentence of the reference uses.

A candidate's own wording shares few words with the reference, so it is not judged here; a statement built
mostly
from reference words must also keep their order and their neighbours, as real sentences do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from difflib import SequenceMatcher

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
# letters): a statement with this many, this share of them those of one reference statement, is scrambled when
# less than this share of them stand in runs of three or more in that statement's order.
_MIN_CHARACTERS = 12
_CHARACTER_SHARE = 0.9
_IN_ORDER = 0.5


class ReferenceText:
    """The words, word pairs and word positions of a reference text, computed once per question."""

    def __init__(self, texts: Iterable[str], sentences: Iterable[str] = ()) -> None:
        """`texts`: the statements word order is judged against; `sentences`: whole sentences that a scrambled
        sentence's characters are also compared with (a sentence of several statements)."""
        kept = [t for t in texts if t.strip()]
        self.statements = [words(t) for t in kept]
        whole = (han_characters(t) for t in [*kept, *sentences])
        self.characters = [(text, Counter(text)) for text in whole if text]
        self.han = frozenset(c for text, _ in self.characters for c in text)
        self.vocabulary = frozenset(w for s in self.statements for w in s)
        self.pairs = frozenset(p for s in self.statements for p in zip(s, s[1:], strict=False))

    def is_salad(self, statement: str) -> bool:
        said = words(statement)
        if len(said) < _MIN_WORDS:
            return False
        if self._scrambled(han_characters(statement)):
            return True
        shared = [w for w in said if w in self.vocabulary]
        if len(shared) < _MIN_SHARED or len(shared) < _VOCABULARY_SHARE * len(said):
            return False
        neighbours = sum(p in self.pairs for p in zip(said, said[1:], strict=False)) / (len(said) - 1)
        return neighbours < _NO_NEIGHBOURS or (
            neighbours < _MIN_NEIGHBOURS and self._order(said) < _MIN_ORDER
        )

    def _scrambled(self, said: str) -> bool:
        """Nearly all its characters are one reference statement's, yet few of them in that statement's order:
        the statement's words (and the marks of its formulas) were shuffled, whatever the word segmentation
        makes of the result."""
        if len(said) < _MIN_CHARACTERS or sum(c in self.han for c in said) < _CHARACTER_SHARE * len(said):
            return False  # too short, or many characters the reference never uses: a candidate's own words
        counts, needed = Counter(said), _CHARACTER_SHARE * len(said)
        # Only a reference statement about as long can hold that share of its characters.
        candidates = [(text, c) for text, c in self.characters if len(text) >= needed]
        if any(said in text for text, _ in candidates):
            return False  # copied as it stands
        shared = [(sum((counts & c).values()), text) for text, c in candidates]
        best = max(shared, default=(0, ""))
        if best[0] < needed:
            return False
        blocks = SequenceMatcher(None, said, best[1], autojunk=False).get_matching_blocks()
        return sum(b.size for b in blocks if b.size >= 3) < _IN_ORDER * len(said)

    def _order(self, said: tuple[str, ...]) -> float:
        """Share of consecutive shared words that keep their order in the reference statement sharing most."""
        best = max(self.statements, key=lambda s: len(set(s) & set(said)))
        position = {w: i for i, w in reversed(list(enumerate(best)))}
        ranks = [position[w] for w in dict.fromkeys(said) if w in position]
        if len(ranks) < _MIN_SHARED:
            return 1.0
        return sum(a < b for a, b in zip(ranks, ranks[1:], strict=False)) / (len(ranks) - 1)
