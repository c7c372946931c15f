"""GIFT (Moodle's plain-text format): essay `{}` / `{####reference}` and short-answer `{=answer =answer}`.

Questions are separated by blank lines; `::title::` is the slug; `$CATEGORY:` names the topic of the questions
after it. Comments `// rubric: description | points | term; term` and `// difficulty: hard` before a question
carry what GIFT has no place for; Moodle ignores them, and the export writes them so that a round trip keeps
the rubric.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from questionbank.importers.tabular import format_point, parse_point
from questionbank.importers.types import Draft, LineError, ParseResult, skipped_kind

_SPECIAL = "~=#{}:"
_ESCAPED = re.compile(r"\\([~=#{}:n\\])")
_TITLE = re.compile(r"^::(.*?)::", re.S)
_FORMAT = re.compile(r"^\[(markdown|html|plain|moodle)\]")


def parse_gift(text: str) -> ParseResult:
    result = ParseResult()
    category = ""
    for block in _blocks(text.replace("\r\n", "\n").split("\n")):
        rubric_cells: list[tuple[int, str]] = []
        body: list[tuple[int, str]] = []
        difficulty = "medium"
        for number, line in block:
            stripped = line.strip()
            if stripped.startswith("//"):
                comment = stripped[2:].strip()
                if comment.startswith("rubric:"):
                    rubric_cells.append((number, comment[len("rubric:") :]))
                elif comment.startswith("difficulty:"):
                    difficulty = comment[len("difficulty:") :].strip()
            elif stripped.startswith("$CATEGORY:"):
                category = stripped[len("$CATEGORY:") :].strip().split("/")[-1]
            else:
                body.append((number, line))
        if not body:
            continue
        first_line = body[0][0]
        try:
            draft = _question("\n".join(text for _, text in body), first_line)
            draft.rubric = [parse_point(cell) for _, cell in rubric_cells]
        except _Skipped as exc:
            result.warnings.append(LineError(first_line, str(exc)))
            continue
        except ValueError as exc:
            result.errors.append(LineError(first_line, str(exc)))
            continue
        draft.topics = [category] if category else []
        draft.difficulty = difficulty if difficulty in ("easy", "medium", "hard") else "medium"
        result.drafts.append(draft)
    return result


def _blocks(lines: list[str]) -> list[list[tuple[int, str]]]:
    """The non-blank lines of each question, with their numbers (1-based)."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            current.append((number, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _question(source: str, line: int) -> Draft:
    title = ""
    if m := _TITLE.match(source.strip()):
        title, source = m.group(1).strip(), source.strip()[m.end() :]
    source = _FORMAT.sub("", source.strip())
    opening = _unescaped(source, "{")
    if opening < 0:
        raise ValueError(
            _("no answer block: an essay question ends with {} and a short answer with {=answer}")
        )
    closing = _unescaped(source, "}", opening + 1)
    if closing < 0:
        raise ValueError(_("the answer block { is not closed with }"))
    prompt = _unescape((source[:opening] + " " + source[closing + 1 :]).strip())
    answers = source[opening + 1 : closing].strip()
    if kind := _other_kind(answers):
        raise _Skipped(skipped_kind(kind))
    if answers.startswith("####"):
        reference = _unescape(answers[4:].strip())
    else:
        reference = "\n".join(_unescape(part.split("#")[0].strip()) for part in _split_answers(answers))
    if not prompt:
        raise ValueError(_("the question has no text"))
    if not reference:
        raise ValueError(_("no reference answer: write it as {####reference} or {=answer}"))
    return Draft(prompt=prompt, reference_answer=reference, line=line, slug=title)


class _Skipped(Exception):
    """A question of a kind the bank has no use for: left out, named in a warning."""


def _other_kind(answers: str) -> str:
    """The GIFT kind of an answer block that is neither essay nor short answer; "" when it is one of them."""
    if answers.upper() in ("T", "F", "TRUE", "FALSE"):
        return "true/false"
    if answers.startswith("#") and not answers.startswith("####"):
        return "numerical"
    if "->" in answers:
        return "matching"
    if _unescaped(answers, "~") >= 0:
        return "multiple-choice"
    return ""


def _split_answers(block: str) -> list[str]:
    """The fully right answers of a short-answer block: `=answer`, or `=%100%answer`."""
    parts, start = [], -1
    for i, char in enumerate(block):
        if char == "=" and (i == 0 or block[i - 1] != "\\"):
            if start >= 0:
                parts.append(block[start:i])
            start = i + 1
    if start >= 0:
        parts.append(block[start:])
    return [p.removeprefix("%100%") for p in parts if not p.startswith("%") or p.startswith("%100%")]


def _unescaped(text: str, char: str, start: int = 0) -> int:
    i = text.find(char, start)
    while i > 0 and text[i - 1] == "\\":
        i = text.find(char, i + 1)
    return i


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in _SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def write_gift(drafts: list[Draft]) -> str:
    blocks = []
    for d in drafts:
        lines = [f"$CATEGORY: {d.topics[0]}"] if d.topics else []
        lines.append(f"// difficulty: {d.difficulty}")
        lines += [f"// rubric: {format_point(p)}" for p in d.rubric]
        lines.append(
            f"::{_escape(d.slug)}::[markdown]{_escape(d.prompt)}{{####{_escape(d.reference_answer)}}}"
        )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
