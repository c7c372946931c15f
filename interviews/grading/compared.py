"""The things a question compares ("顺序表和链表", "单链表、双链表和循环单链表", "MHA、MQA 和 GQA").

A comparison question's points each speak of one of them, and the sentence encoder hardly tells "单链表不可以"
from "双链表可以": a statement that names only other compared things is about them, not about the point's.
The compared things are read from the prompt's enumeration when its items are names: Latin ones (MQA, GQA)
or Chinese ones sharing a head word (顺序表 and 链表 share 表). A name given with its abbreviation in
brackets ("Multi-Query Attention（MQA）与 Grouped-Query Attention（GQA）", "张量并行（TP）和流水线并行（PP）")
is read as the abbreviation, which is what answers write; a Chinese name with its English one in brackets
("greedy、beam search、温度（temperature）、top-k") also as the English name, the script of the enumeration
around it. An enumeration of other words ("从数据、训练方法层面") lists aspects, which one statement often
spans, and is left alone. An English prompt has no script to tell names from prose: its names are its words
written as names ("BERT", "LLaMA", "Prefix LM"), and "attention mask, loss computation and inference" names
nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jieba

from interviews.grading.text import HAN, compact, normalise

# Separators of an enumeration, and the clause marks an enumeration does not cross.
_SEPARATOR = re.compile(r"\s*(?:、|以及|和|与|及|或者|或|还是|跟|vs\.?|versus|\band\b|\bor\b|/)\s*")
_CLAUSE = re.compile(r"[，,。.？?！!；;：:()（）\n]")
# In English prose a comma separates the items too ("GPT-3, LLaMA and ChatGLM").
_ENGLISH_SEPARATOR = re.compile(r"\s*(?:,(?:\s*(?:and|or)\b)?|\band\b|\bor\b|vs\.?|versus|/)\s*")
_ENGLISH_CLAUSE = re.compile(r"[。.？?！!；;：:()（）\n]")
# A Latin name, of up to three words ("prefix lm").
_LATIN_END = re.compile(r"[a-z][a-z0-9+#._-]*(?: [a-z][a-z0-9+#._-]*){0,2}$")
_LATIN_START = re.compile(r"^[a-z][a-z0-9+#._-]*(?: [a-z][a-z0-9+#._-]*){0,2}")
_PRONOUNS = frozenset({"它们", "二者", "两者", "三者", "they", "both"})
_FIRST_CLAUSE = re.compile(r"[，,。；;！!？?\n]")
_MAX_NAME = 6  # Chinese characters: longer pieces are phrases, not the names of things
# An abbreviation in brackets after the name it stands for, with two or more capitals ("MQA", "RoPE").
_ABBREVIATION = re.compile(r"[(（]\s*([A-Z][A-Za-z0-9+#.-]*[A-Z][A-Za-z0-9+#.-]*)\s*[)）]")
# ... or the English name of a Chinese one ("温度（temperature）").
_ENGLISH_NAME = re.compile(rf"(?<={HAN.pattern})[(（]\s*([a-z][a-z0-9+#.-]*(?: [a-z][a-z0-9+#.-]*)?)\s*[)）]")


# A word of English prose that is a name: capitals past its first letter or a digit ("MQA", "LLaMA", "GPT-3"),
# or a capital first letter inside a sentence ("Prefix LM", "Qwen"); the first word of a sentence is
# capitalised for the sentence ("Compare SFT and RLHF").
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#._-]*")
_OPENS_SENTENCE = re.compile(r"(?:^|[.?!:]\s+)$")
_QUOTES = "\"'“”‘’"
_ARTICLES = frozenset({"a", "an", "the"})


@lru_cache(maxsize=1024)
def compared_items(question: str) -> frozenset[str]:
    """The things the question's prompt enumerates, normalised and without spaces; empty for none."""
    found: set[str] = set()
    names = None if HAN.search(question) else _names(question)
    clause_marks, separator = (
        (_CLAUSE, _SEPARATOR) if names is None else (_ENGLISH_CLAUSE, _ENGLISH_SEPARATOR)
    )
    # Read again with the English names for the Chinese ones: an enumeration in Latin letters is then whole.
    texts = (question, _named_in_english(question))
    for clause in (c for text in texts for c in clause_marks.split(normalise(_abbreviated(text)))):
        pieces = [p.strip() for p in separator.split(clause)]
        if len(pieces) < 2 or not all(pieces):
            continue
        if pieces[0] in _PRONOUNS and len(pieces) == 2:
            # "它们与 MHA 的区别": the things just compared, against one more.
            latin = _LATIN_START.match(pieces[1])
            found.update([compact(latin.group(0))] if latin and found else [])
            continue
        items = _items(pieces, names)
        if (names is not None or len(items) == len(pieces)) and len(items) == len(set(items)) >= 2:
            found.update(items)
    return frozenset(found)


def _abbreviated(question: str, pattern: re.Pattern[str] = _ABBREVIATION) -> str:
    """Each "name（ABBR）" as "ABBR": the name is cut back to the enumeration's separator or clause mark
    before it ("与 Grouped-Query Attention（GQA）" → "与 GQA")."""
    parts, at = [], 0
    for match in pattern.finditer(question):
        before = question[at : match.start()]
        marks = [m.end() for m in (*_SEPARATOR.finditer(before), *_CLAUSE.finditer(before))]
        parts.append(before[: max(marks, default=0)] + match.group(1))
        at = match.end()
    return "".join(parts) + question[at:]


def _named_in_english(question: str) -> str:
    """Each "中文名（english name）" as "english name" ("、温度（temperature）、" → "、temperature、")."""
    return _abbreviated(question, _ENGLISH_NAME)


def _names(question: str) -> frozenset[str]:
    """The words of an English prompt that are names, normalised."""
    return frozenset(
        normalise(m.group(0))
        for m in _WORD.finditer(question)
        if any(c.isupper() or c.isdigit() for c in m.group(0)[1:])
        or m.group(0)[0].isdigit()
        or (m.group(0)[0].isupper() and not _OPENS_SENTENCE.search(question[: m.start()]))
    )


def _items(pieces: list[str], names: frozenset[str] | None) -> list[str]:
    """One item per piece: the end of the first, the middle ones whole, the start of the last. In English
    prose (`names` given), the longest run of pieces that are names: "…such as llama", "qwen", "chatglm" are
    LLaMA, Qwen and ChatGLM, and an enumeration of aspects ("attention mask, loss computation and inference")
    names nothing."""
    if names is not None:
        return _named_run(pieces, names)
    first, *middle, last = pieces
    latin = [_LATIN_END.search(first), *(_LATIN_START.fullmatch(p) for p in middle), _LATIN_START.match(last)]
    if all(latin):
        return [compact(m.group(0)) for m in latin if m]
    head = _shared_head(first, middle, last)
    if not head:
        return []
    items = [compact(i) for i in (_word_suffix(first, head), *middle, last[: last.find(head) + len(head)])]
    if any(len(i) > _MAX_NAME or "的" in i for i in items):
        return []  # phrases ("筛选高质量的合成"), not names
    return items


def _named_run(pieces: list[str], names: frozenset[str]) -> list[str]:
    """The longest run of two or more pieces that are names, the first of them the names ending its piece and
    the last the names opening its piece."""
    best: list[str] = []
    for start, piece in enumerate(pieces[:-1]):
        run = [_named_words(piece, names, from_end=True)]
        if not run[0]:
            continue
        for following in pieces[start + 1 :]:
            opening = _named_words(following, names, from_end=False)
            if not opening:
                break
            run.append(opening)
            if opening != following:
                break  # names opening a piece of prose end the enumeration
        if len(run) >= 2 and len(run) > len(best):
            best = run
    return [compact(r) for r in best]


def _named_words(piece: str, names: frozenset[str], *, from_end: bool) -> str:
    """The run of names that ends the piece (from_end) or opens it, after an article ("a Causal LM"),
    quotes left out ('"70B"'); a name has a letter ("ChatGLM2/3" names no "3")."""
    words = [w.strip(_QUOTES) for w in piece.split()]
    if from_end:
        words.reverse()
    elif words and words[0] in _ARTICLES:
        words = words[1:]
    run = []
    for word in words:
        if word not in names:
            break
        run.append(word)
    if from_end:
        run.reverse()
    return " ".join(run) if any(c.isalpha() for c in "".join(run)) else ""


def _shared_head(first: str, middle: list[str], last: str) -> str:
    """The longest ending every item shares (链表 of 单链表、双链表、循环单链表), found in the last piece."""
    ends = [first, *middle]
    for size in range(min(len(e) for e in ends), 0, -1):
        head = first[-size:]
        if all(e.endswith(head) for e in ends) and head in last and not _SEPARATOR.search(head):
            return head
    return ""


def _word_suffix(text: str, head: str) -> str:
    """The shortest ending of `text` cut at a word boundary that is longer than `head`: "单链表" of
    "在单链表"."""
    boundaries, at = [], 0
    for word in jieba.lcut(text):
        boundaries.append(at)
        at += len(word)
    longer = [text[b:] for b in boundaries if len(text) - b > len(head)]
    return longer[-1] if longer else text


def named(text: str, items: frozenset[str]) -> frozenset[str]:
    """The compared items the text names, the longest first: "循环单链表" names itself, not "单链表"."""
    if not items:
        return frozenset()
    rest, found = compact(text), set()
    for item in sorted(items, key=len, reverse=True):
        if item in rest:
            found.add(item)
            rest = rest.replace(item, "|")
    return frozenset(found)


def point_subjects(description: str, items: frozenset[str]) -> frozenset[str]:
    """The compared items a rubric point is about: those its first clause names, else all it names.
    "说明 GQA 把查询头分组、组内共享 K/V，MQA/MHA 是其特例" is about GQA; its second clause places GQA among
    the others."""
    first = _FIRST_CLAUSE.split(description, maxsplit=1)[0]
    return named(first, items) or named(description, items)
