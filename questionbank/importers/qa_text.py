"""Markdown or plain-text Q&A documents, as they are copied from web pages (the seeds in ../shared/seeds/).

A question is a heading at the start of a line: numbered (`1.`, `1、`, `一、`, `1.1`), a Markdown heading, a
labelled question (`问：`, `Q:`; its answer's `答：` / `A:` is dropped), or —
in a document without numbers — a short line that asks or names something, followed by its answer. What is
not a question is skipped: reference lists, page furniture (read counts, "Logo", "更多推荐"), titles (a
heading followed straight by another heading), and a numbered list restarted inside a section (its items).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from questionbank.importers.types import Draft, LineError, ParseResult

_CN = "一二三四五六七八九十"
_ARABIC = re.compile(r"^(\d{1,2})\s*[.、．)）](?!\d)\s*(\S.*)$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\s+(\S.*)$")
_CHINESE = re.compile(rf"^([{_CN}]+)\s*、\s*(\S.*)$")
_MARKDOWN = re.compile(r"^#{1,6}\s+(\S.*)$")
# "问：…" / "Q: …" asks; "答：…" / "A: …" opens its answer (the label is no part of either).
_ASKED = re.compile(r"^(?:问题?|提问|Q|Question)\s*\d{0,2}\s*[:：.．]\s*(\S.*)$", re.I)
_ANSWER_LABEL = re.compile(r"^\s*(?:答案?|回答|解答|A|Answer)\s*[:：]\s*", re.I)
_REFERENCES = re.compile(r"^(references|参考资料|参考文献|参考链接)\s*[:：]?$", re.I)
_REFERENCE_ITEM = re.compile(r"^\[\d+\]\s*[:：]?")
_FURNITURE = re.compile(
    r"^(跳至主要內容|跳到主要内容|logo|更多推荐|公众号|阅读量|点赞量|收藏量|原创\s|作者[:：]|◇.*◇$|.*\d{4}年\d{1,2}月\d{1,2}日)",
    re.I,
)
# Where a copied web page's own text ends and its footer (comments, "next article", follow us) begins.
_FOOTER = re.compile(r"^(评论|上一篇|下一篇|更多推荐|logo|阅读量.*|.*关注公众号.*)$", re.I)
_QUESTION_WORDS = re.compile(r"区别|什么|如何|为什么|为何|哪些|哪几|吗|怎么|怎样|是否|介绍|对比|优缺点|\?|？")
_ENDS_SENTENCE = re.compile(r"[。；;！!，,、…]$")
_LABEL_COLON = re.compile(r"^[^:：]{1,30}[:：]\s*\S")  # "RM: ..." / "Motivation: ..."


@dataclass
class _Heading:
    line: int  # 0-based
    kind: str  # "arabic" | "dotted" | "chinese" | "markdown" | "plain"
    number: int
    text: str


def parse_qa_text(text: str) -> ParseResult:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    keep = _noise_mask(lines)
    numbered = [h for i in range(len(lines)) if keep[i] and (h := _numbered(i, lines[i])) is not None]
    numbered = [h for h in numbered if not _title(h, lines)]
    if len(numbered) >= 3:
        headings = _questions_numbered(numbered, lines, keep)
    else:  # too few numbers to tell questions from a list in an answer; one or two headed questions are
        headings = _questions_plain(lines, keep) or [h for h in numbered if h.kind in ("markdown", "asked")]
    result = ParseResult()
    for index, heading in enumerate(headings):
        end = headings[index + 1].line if index + 1 < len(headings) else len(lines)
        body = [lines[j] for j in range(heading.line + 1, end) if keep[j]]
        answer = _ANSWER_LABEL.sub("", _dedent("\n".join(body)).strip(), count=1)
        if not answer:
            result.errors.append(
                LineError(
                    heading.line + 1,
                    _("question %(question)s has no answer; skipped") % {"question": heading.text},
                )
            )
            continue
        result.drafts.append(
            Draft(prompt=heading.text.strip(), reference_answer=answer, line=heading.line + 1)
        )
    if not result.drafts and not result.errors:
        result.errors.append(
            LineError(1, _("no questions found: number them (1. …) or give each its own line"))
        )
    return result


def _noise_mask(lines: list[str]) -> list[bool]:
    keep = [True] * len(lines)
    footer = next(
        (i for i in range(len(lines) * 2 // 3, len(lines)) if _FOOTER.match(lines[i].strip())), len(lines)
    )
    keep[footer:] = [False] * (len(lines) - footer)
    in_references = False
    for i, raw in enumerate(lines):
        line = raw.strip()
        if _REFERENCES.match(line):
            in_references, keep[i] = True, False
            continue
        if in_references and (not line or _REFERENCE_ITEM.match(line)):
            keep[i] = False
            continue
        in_references = False
        if keep[i] and (_REFERENCE_ITEM.match(line) or (line and _FURNITURE.match(line))):
            keep[i] = False
    return keep


def _numbered(i: int, raw: str) -> _Heading | None:
    if raw[:1].isspace() or not raw.strip():
        return None
    line = raw.strip()
    if m := _DOTTED.match(line):
        return _Heading(i, "dotted", int(m.group(1)) * 100 + int(m.group(2)), m.group(3))
    if m := _ARABIC.match(line):
        return _Heading(i, "arabic", int(m.group(1)), m.group(2))
    if m := _CHINESE.match(line):
        return _Heading(i, "chinese", _cn_number(m.group(1)), m.group(2))
    if m := _MARKDOWN.match(line):
        # "## 1. 什么是 KV cache？": the heading's own number is no part of the question.
        inner = _numbered(i, m.group(1))
        return _Heading(i, "markdown", 0, inner.text if inner and inner.kind != "markdown" else m.group(1))
    if m := _ASKED.match(line):
        return _Heading(i, "asked", 0, m.group(1))
    return None


def _title(heading: _Heading, lines: list[str]) -> bool:
    """A Markdown heading followed straight by a deeper one ("# 面试题" then "## 1. …") titles a document
    or a section: no question."""
    if heading.kind != "markdown":
        return False
    below = next((line.strip() for line in lines[heading.line + 1 :] if line.strip()), "")
    return _MARKDOWN.match(below) is not None and _depth(below) > _depth(lines[heading.line].strip())


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip("#"))


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN.index(text[1]) + 1
    if text.endswith("十"):
        return (_CN.index(text[0]) + 1) * 10
    return _CN.index(text[-1]) + 1 + (10 * (_CN.index(text[0]) + 1) if len(text) == 3 else 0)


def _questions_numbered(numbered: list[_Heading], lines: list[str], keep: list[bool]) -> list[_Heading]:
    """Sections (一、) with subsections (1.1) give the subsections; a short numbered run restarted inside a
    section is a list in its answer; a plain short heading after the numbered ones starts a question too."""
    questions: list[_Heading] = []
    for index, heading in enumerate(numbered):
        if heading.kind == "chinese":
            following = next((h for h in numbered[index + 1 :] if h.kind != "arabic"), None)
            if following is not None and following.kind == "dotted":
                continue  # a section whose subsections are the questions
        if heading.kind == "arabic" and _inside_section(numbered, index):
            continue
        questions.append(heading)
    first = questions[0].line if questions else len(lines)
    plain = [h for h in _questions_plain(lines, keep, strict=True) if h.line > first]
    taken = {h.line for h in numbered}
    merged = questions + [h for h in plain if h.line not in taken and not _within_list(h, numbered)]
    return sorted(merged, key=lambda h: h.line)


def _inside_section(numbered: list[_Heading], index: int) -> bool:
    """An arabic item after a Chinese-numbered section heading, in a run of a few items, is a list item."""
    before = [h for h in numbered[:index] if h.kind != "arabic"]
    if not before or before[-1].kind != "chinese":
        return False
    run = 1
    for h in numbered[index + 1 :]:
        if h.kind != "arabic" or h.number != numbered[index].number + run:
            break
        run += 1
    start = numbered[index].number
    return (
        start <= 9
        and run + start - 1 <= 9
        and not any(h.kind == "arabic" and h.number > 9 for h in numbered[index:])
    )


def _within_list(heading: _Heading, numbered: list[_Heading]) -> bool:
    """A short line between two items of a numbered run (n, n+1) is part of item n's answer."""
    arabic = [h for h in numbered if h.kind == "arabic"]
    return any(
        a.line < heading.line < b.line and b.number == a.number + 1
        for a, b in zip(arabic, arabic[1:], strict=False)
    )


def _questions_plain(lines: list[str], keep: list[bool], strict: bool = False) -> list[_Heading]:
    candidates = [i for i in range(len(lines)) if keep[i] and _plain_heading(lines[i], strict)]
    questions = []
    for i in candidates:
        following = next((j for j in range(i + 1, len(lines)) if keep[j] and lines[j].strip()), None)
        if following is None:
            continue
        if following in candidates or _numbered(following, lines[following]) is not None:
            keep[i] = False  # a title or section name: a heading followed straight by another
            continue
        questions.append(_Heading(i, "plain", 0, lines[i].strip()))
    return questions


def _plain_heading(raw: str, strict: bool) -> bool:
    if not raw.strip() or raw[:1].isspace() or _numbered(0, raw) is not None:
        return False
    line = raw.strip()
    if not (line[0].isalnum() or "\u4e00" <= line[0] <= "\u9fff"):
        return False  # bullets, formulas, quotes
    asks = line.endswith(("?", "？"))
    if strict:
        return (
            len(line) <= 24
            and not _ENDS_SENTENCE.search(line)
            and not _LABEL_COLON.match(line)
            and (asks or not line.endswith((":", "：")))
        )
    if len(line) > (80 if asks else 40) or _ENDS_SENTENCE.search(line):
        return False
    if line.endswith((":", "：")):
        return bool(_QUESTION_WORDS.search(line))
    return not _LABEL_COLON.match(line)


def _dedent(text: str) -> str:
    body = text.split("\n")
    indents = [len(line) - len(line.lstrip()) for line in body if line.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(line[cut:] for line in body)
