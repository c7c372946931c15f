"""Chinese-aware text helpers shared by the judges: normalisation, tokens, sentences, term matching."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import jieba
import snowballstemmer

jieba.setLogLevel(60)
# Snowball's English stemmer keeps the word it works on in itself: one call at a time.
_STEMMER = snowballstemmer.stemmer("english")
_STEMMER_LOCK = threading.Lock()

_NON_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n+|(?<=\.)\s+")
_ASCII = re.compile(r"^[\x00-\x7f]+$")

# Function words, and the verbs rubric descriptions start with ("说明"): they say nothing about content.
_STOPWORDS = """
的 了 是 在 和 与 及 或 就 都 而 也 则 即 但 其 这 那 为 以 于 对 将 把 被
由 从 到 给 让 可 会 要 有 不 一个 这种 这样 这些 那些 这个 那个 因此 所以 因为
由于 如果 时 中 上 下 个 等 之 所 着 过 又 还 并 且 能 能够 可以 需要 进行 通过
使用 用 做 得 地 很 更 最 较 比 如 例如 比如 以及 并且 而且 或者 还是 什么 怎么
如何 哪些 为什么 是否 我们 你 我 他 她 它 它们 自己 一种 一些 方面 部分 情况 时候
问题 说明 指出 提到 写出 解释 简述 描述 阐述 讨论 列出 给出 回答 答出 提及 知道 理解
意识 说出 举例
the a an of to and or in on for with by is are be as at that this it its from which can
"""
STOPWORDS = frozenset(_STOPWORDS.split())


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """NFKC (full-width to half-width), lower case, single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


@lru_cache(maxsize=65536)
def compact(text: str) -> str:
    """Normalised text without spaces or punctuation: what substring matches are made against."""
    return _NON_WORD.sub("", normalise(text))


# Formulas and code are written in Latin letters whatever the language of the prose around them.
_NOT_PROSE = re.compile(r"```.*?(?:```|$)|\$\$.*?\$\$|\$[^$\n]*\$|`[^`\n]*`", re.DOTALL)


HAN = re.compile(r"[\u4e00-\u9fff]")  # a CJK ideograph
ASCII_WORD = re.compile(r"[a-z0-9']+")  # an English word or number, in normalised (lower-case) text


def han_characters(text: str) -> str:
    """The Chinese characters of a text, in order."""
    return "".join(HAN.findall(text))


def is_chinese(text: str) -> bool:
    """Mostly Chinese prose: at least 30 % of its letters, formulas and code left out, are CJK ideographs."""
    letters = compact(_NOT_PROSE.sub(" ", text))
    return sum("\u4e00" <= c <= "\u9fff" for c in letters) >= 0.3 * max(1, len(letters))


def written_in(text: str, default: str) -> str:
    """ "zh" or "en" for text with letters in it; `default` for text with none (an empty answer)."""
    if not compact(_NOT_PROSE.sub(" ", text)):
        return default
    return "zh" if is_chinese(text) else "en"


def words(text: str) -> tuple[str, ...]:
    """Every jieba word of the normalised text, in order, without spaces and punctuation."""
    return _words_of_normalised(normalise(text))


@lru_cache(maxsize=32768)
def _words_of_normalised(text: str) -> tuple[str, ...]:
    # Keyed by the normalised text, so that a text and its normalised form are cut by jieba once.
    found = (w.strip() for w in jieba.lcut(text))
    return tuple(w for w in found if w and not _NON_WORD.fullmatch(w))


@lru_cache(maxsize=16384)
def tokens(text: str) -> tuple[str, ...]:
    """Content tokens: the words of the text without stop words."""
    return tuple(w for w in words(text) if w not in STOPWORDS)


def sentences(text: str) -> list[str]:
    """The text split into sentences, each as written (stripped), for quoting as evidence."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and _NON_WORD.sub("", s)]


def term_found(term: str, text: str) -> bool:
    """Whether a rubric term occurs in the text; an ASCII term as a whole word ("RoPE" is not in "Europe")."""
    pattern = _term_pattern(term)
    if pattern is None:
        term_compact = compact(term)
        return bool(term_compact) and term_compact in compact(text)
    return pattern.search(normalise(text)) is not None


@lru_cache(maxsize=8192)
def _term_pattern(term: str) -> re.Pattern[str] | None:
    """A whole-word pattern for an ASCII term (spaces optional inside it); None for any other term."""
    term_norm = normalise(term)
    if not term_norm or not _ASCII.match(term_norm):
        return None
    letters = r"\s*".join(map(re.escape, term_norm.replace(" ", "")))
    return re.compile(r"(?<![a-z0-9])" + letters + r"(?![a-z0-9])")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """An English word's stem ("generation", "generate" → "generat"); any other word as it is."""
    if not (word.isascii() and word.isalpha()):
        return word
    with _STEMMER_LOCK:
        return str(_STEMMER.stemWord(word))


def token_recall(wanted: tuple[str, ...], have: frozenset[str], have_compact: str) -> float:
    """Share of `wanted` (by length) found in a text: one of its tokens, inside its compact form, or an
    English word of the same stem ("generation" in "cannot generate")."""
    wanted_set = set(wanted)
    total = sum(len(w) for w in wanted_set)
    if not total:
        return 0.0
    missing = [w for w in wanted_set if w not in have and compact(w) not in have_compact]
    if any(w.isascii() for w in missing):
        stems = _english_stems(have)
        missing = [w for w in missing if stem(w) not in stems]
    return 1 - sum(len(w) for w in missing) / total


@lru_cache(maxsize=1024)
def _english_stems(have: frozenset[str]) -> frozenset[str]:
    """The stems of a text's English tokens, once per text however many points look at it."""
    return frozenset(stem(h) for h in have if h.isascii())
