"""An answer as units of meaning: sentences and the clauses inside them, each a verbatim span of the text.

A rubric point is checked against each unit, so a point is supported by a statement, not by words
scattered over the answer. Units keep the raw text (LaTeX included) because they are quoted back as evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from interviews.grading.contradiction import bare_answer, negations, opening_negation
from interviews.grading.formulas import is_formula
from interviews.grading.text import HAN, STOPWORDS, compact, normalise, tokens, words

# Sentence ends, line breaks, list markers; clause breaks inside a sentence (commas not between digits).
_SENTENCE_BREAK = re.compile(r"(?<=[。！？!?；;])|\n+|(?<=[.])\s+|(?=[①②③④⑤⑥⑦⑧⑨⑩])")
# Full stops and line breaks: how far a negation that opens a sentence reaches.
_PERIOD_BREAK = re.compile(r"(?<=[。！？!?])|\n+|(?<=[.])\s+|(?=[①②③④⑤⑥⑦⑧⑨⑩])")
_MAX_LABEL = 16  # characters: a longer opening clause ending in a colon introduces, it does not name
# After a comma or colon; before an English relative or causal clause ("… one-hot outputs whose gradients
# vanish", "… so that the variance is 1"), which states a claim of its own, as a clause after "，" does.
_CLAUSE_BREAK = re.compile(
    r"(?<=[，:：])|(?<=,)(?!\d)|(?<=[、])(?=\S{6,})"
    r"|(?<=[a-z)])\s+(?=(?:which|whose|so that|because|whereas)\s)",
    re.IGNORECASE,
)
# Separators of an enumeration of nouns; a space only between two Chinese words (Chinese writers put spaces
# around English words).
_LIST_SEPARATOR = re.compile(r"[、,，/|;；]|(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
# A formula or a result ("n/2", "O(log n)", "$d_k$") states something on its own.
_FORMULA = re.compile(r"[=<>/^$]|\d|[a-z]\s*\(", re.IGNORECASE)
# Words that make a clause state something: copulas, modal and relation verbs (Chinese and English).
_PREDICATE_WORDS = """
是 为 有 让 使 令 把 被 将 会 能 可 可以 能够 需要 要 用 用于 通过 因为 所以 导致 使得 相当于 等于
表示 意味着 取决于 来自 得到 变成 成为 带来 减少 增加 减小 增大 降低 提高 保持 共享 包括 包含 属于
比 叫 称为 指 即 就是 is are was were be been being has have had can could will would should must
may might does do did means uses use makes make reduces increases keeps shares equals becomes gives
lets allows requires depends
"""
_PREDICATES = frozenset(_PREDICATE_WORDS.split())
# Punctuation, quotes and formula marks: what a bare dump of terms lacks and prose or a formula has.
_PROSE_MARK = re.compile(r"[，。；：、（）()|！？,;:!?“”\"'*=<>^$\\{}]")


@dataclass(frozen=True)
class Unit:
    """A sentence or one of its clauses, as written in the answer."""

    text: str
    sentence: int  # index of the sentence it belongs to
    whole: bool  # the whole sentence (True) or one clause of it
    scope: str = ""  # a negation its sentence opens with, which covers this clause too

    @property
    def claim(self) -> str:
        """What the unit asserts, with the negation of its sentence in front: what contradiction reads."""
        return f"{self.scope} {self.text}" if self.scope else self.text


def _parts(pattern: re.Pattern[str], text: str) -> list[str]:
    return [p.strip() for p in pattern.split(text) if compact(p)]


@lru_cache(maxsize=64)
def units(text: str) -> tuple[Unit, ...]:
    """Sentences, then, for a sentence of several clauses, each clause too.

    A negation a sentence opens with covers its clauses, and the sentences after it up to the full stop:
    "并不是说 A：B；C。" denies C as well, though "；" makes it a unit of its own. Remembered for the last
    answers: one grade reads an answer's units three times (injection, statements, evidence).
    """
    found: list[Unit] = []
    index = 0
    for period in _parts(_PERIOD_BREAK, text):
        carried = ""  # the negation the period opened with, for its sentences after the first
        for number, sentence in enumerate(_parts(_SENTENCE_BREAK, period)):
            inherited = "" if negations(sentence) else carried
            opening = opening_negation(sentence)
            if number == 0:
                carried = opening
            found.append(Unit(sentence, index, True, inherited))
            clauses = _with_labels(_parts(_CLAUSE_BREAK, sentence))
            if len(clauses) > 1:
                scope = opening or inherited
                found.append(Unit(clauses[0], index, False, "" if negations(clauses[0]) else inherited))
                # A clause with its own negation does not take the sentence's too.
                found.extend(
                    Unit(clause, index, False, "" if negations(clause) else scope) for clause in clauses[1:]
                )
            index += 1
    return tuple(found)


def _with_labels(clauses: list[str]) -> list[str]:
    """A label and the bare answer after it as one clause: "单链表：不可以" says 单链表 cannot, while
    "不可以" alone would deny what the reference says of the others ("双链表可以")."""
    if len(clauses) > 1 and _is_label(clauses[0]) and bare_answer(clauses[1]):
        return [clauses[0] + clauses[1], *clauses[2:]]
    return clauses


def sentence_label(sentence: str) -> str:
    """The label a sentence opens with ("GQA：把查询头分组，…" → "GQA："): what its clauses speak of."""
    first = _parts(_CLAUSE_BREAK, sentence)[0] if compact(sentence) else ""
    return first if _is_label(first) else ""


def _is_label(clause: str) -> bool:
    return clause[-1:] in (":", "：") and len(compact(clause)) <= _MAX_LABEL


def statement_units(text: str) -> list[Unit]:
    """The clauses of a reference text: what an answer's unit is compared with for contradiction and order."""
    return [u for u in units(text) if not u.whole or len(_parts(_CLAUSE_BREAK, u.text)) == 1]


def is_list(text: str) -> bool:
    """An enumeration of bare items (nouns, terms: at most two words, no verb), nothing said about them."""
    if is_formula(text):
        return False  # "n/2-1/2" divides, it lists nothing
    items = [i for i in _LIST_SEPARATOR.split(normalise(text)) if compact(i)]
    return (len(items) >= 3 and _bare(items)) or _spaced_terms(text)


def _spaced_terms(text: str) -> bool:
    """Terms separated by spaces alone, in text with Chinese in it ("ZeRO-1 优化器状态 切分 ZeRO-2 梯度"):
    five or more bare items, none a function word, no verb and no punctuation anywhere (Chinese prose puts
    spaces around English words too, and has punctuation and particles). In English prose a space separates
    every word, so English is left to the separators above."""
    if not HAN.search(text) or _PROSE_MARK.search(text) or set(words(text)) & _PREDICATES:
        return False
    items = [i for i in normalise(text).split() if compact(i)]
    return len(items) >= 5 and not any(i in STOPWORDS for i in items) and _bare(items)


def _bare(items: list[str]) -> bool:
    bare = sum(len(words(i)) <= 2 and not set(words(i)) & _PREDICATES for i in items)
    return bare >= 0.75 * len(items) and all(len(words(i)) <= 3 for i in items)


# Words a tester varies a repeated frame with ("X 是关键。Y 也是关键。"): left out when frames are compared.
_FRAME_VARIANTS = re.compile(r"同样|[也都还亦又\d]")
_FRAME_REPEATS = 3


def repeated_frames(texts: Sequence[str], known_terms: tuple[str, ...]) -> set[int]:
    """The sentences that are one frame filled with different terms ("X 是关键。Y 是关键。Z 是关键。"): a
    list of terms dressed as sentences, said of none of them. A frame counts once it holds three."""
    frames = [_frame(t, known_terms) for t in texts]
    counts = Counter(f for f in frames if f)
    return {i for i, f in enumerate(frames) if f and counts[f] >= _FRAME_REPEATS}


def _frame(text: str, known_terms: tuple[str, ...]) -> str:
    """What a sentence says besides the rubric's terms, or "" where it holds none of them."""
    rest, found = _without_terms(compact(text), known_terms, compact)
    return _FRAME_VARIANTS.sub("", rest.replace(" ", "")) if found else ""


def _without_terms(text: str, known_terms: tuple[str, ...], form: Callable[[str], str]) -> tuple[str, int]:
    """`text` (in the `form` of compact or normalise) with each term in that form, longest first, replaced
    by a space, and how many different terms it held."""
    found = 0
    for term_form in _term_forms(known_terms, form):
        if term_form in text:
            found += 1
            text = text.replace(term_form, " ")
    return text, found


@lru_cache(maxsize=256)
def _term_forms(known_terms: tuple[str, ...], form: Callable[[str], str]) -> tuple[str, ...]:
    """The terms in that form, longest first: the same for every unit of the answers to one question."""
    forms = (form(term).strip() for term in sorted(known_terms, key=len, reverse=True))
    return tuple(f for f in forms if f)


# A heading or a label ("**计算过程**", "## 优点", "奖励模型：") names what follows; it states nothing itself.
_HEADING = re.compile(r"^\s*(?:#{1,6}\s.*|(?:[-*+]\s*)?\*\*[^*]+\*\*\s*[:：]?|.*[:：])\s*$")


def explains(text: str, known_terms: tuple[str, ...], vocabulary: frozenset[str] | None = None) -> bool:
    """Whether a unit says something: not a list, content beyond the rubric's own terms, a predicate or a
    formula. With the question's `vocabulary`, what a unit says of its one term must use a word of it:
    "X 是关键" or "要注意 X" says nothing of X (a unit relating two terms says how they relate)."""
    if is_list(text) or _HEADING.match(text):
        return False
    whole = compact(text)
    rest, found = _without_terms(whole, known_terms, compact)
    rest = rest.replace(" ", "")
    if len(rest) < 0.3 * len(whole) or len(rest) < 2:
        return False
    if vocabulary is not None and found == 1:
        said, _ = _without_terms(normalise(text), known_terms, normalise)
        if vocabulary.isdisjoint(tokens(said)) and not _FORMULA.search(said):
            return False
    return bool(set(words(text)) & _PREDICATES) or len(tokens(text)) >= 2 or _FORMULA.search(text) is not None
