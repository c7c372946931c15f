"""Moodle XML: essay and short-answer questions (what a Moodle user exports from a question bank).

An essay question's grader information is the reference answer and its general feedback holds the rubric,
one point a line (`description | points | term; term`), as the export writes it; a short-answer question's
fully right answers are its reference. Other question types are skipped and named. Parsed by defusedxml, so
no entity is expanded.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from typing import Any
from xml.sax.saxutils import escape

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.translation import gettext as _

from questionbank.importers.tabular import format_point, parse_point
from questionbank.importers.types import SLUG, Draft, LineError, ParseResult, skipped_kind

_TAG = re.compile(r"<[^>]+>")
DIFFICULTY_TAG = "difficulty:"


class _LineNumberingParser(DefusedXMLParser):
    """Remembers the line each element starts on (the pure-Python parser defusedxml builds on)."""

    def _start(self, tag: str, attrs: Any) -> ET.Element:
        element = super()._start(tag, attrs)
        element.set("_line", str(self.parser.CurrentLineNumber))
        return element


def parse_moodle_xml(text: str) -> ParseResult:
    result = ParseResult()
    try:
        parser = _LineNumberingParser()
        parser.feed(text)
        root = parser.close()
    except ET.ParseError as exc:
        result.errors.append(
            LineError(exc.position[0], _("not well-formed XML: %(problem)s") % {"problem": exc})
        )
        return result
    except DefusedXmlException as exc:
        result.errors.append(LineError(1, _("refused: %(problem)s") % {"problem": exc}))
        return result
    if root.tag != "quiz":
        result.errors.append(
            LineError(int(root.get("_line", "1")), _("a Moodle XML file has <quiz> at its root"))
        )
        return result
    for question in root.findall("question"):
        line = int(question.get("_line", "1"))
        kind = question.get("type", "")
        if kind == "category":
            continue
        if kind not in ("essay", "shortanswer"):
            result.warnings.append(LineError(line, skipped_kind(kind)))
            continue
        prompt = _text(question.find("questiontext"))
        if kind == "essay":
            reference = _text(question.find("graderinfo"))
            rubric_text = _text(question.find("generalfeedback"))
        else:
            answers = [a for a in question.findall("answer") if a.get("fraction") == "100"]
            reference = "\n".join(_text(a) for a in answers)
            rubric_text = ""
        if not prompt or not reference:
            result.errors.append(LineError(line, _("a question needs its text and a reference answer")))
            continue
        try:
            rubric = [parse_point(cell) for cell in rubric_text.splitlines() if cell.strip()]
        except ValueError as exc:
            result.errors.append(LineError(line, str(exc)))
            continue
        tags = [_text(tag) for tag in question.findall("tags/tag")]
        difficulty = next((t[len(DIFFICULTY_TAG) :] for t in tags if t.startswith(DIFFICULTY_TAG)), "medium")
        result.drafts.append(
            Draft(
                prompt=prompt,
                reference_answer=reference,
                line=line,
                slug=_slug(question.find("name")) if kind == "essay" else "",
                topics=[t for t in tags if not t.startswith(DIFFICULTY_TAG)],
                difficulty=difficulty if difficulty in ("easy", "medium", "hard") else "medium",
                rubric=rubric,
            )
        )
    if not result.drafts and not result.errors:
        result.errors.append(LineError(1, _("no essay or short-answer question to import")))
    return result


def _slug(name: ET.Element | None) -> str:
    """The name as the export writes it (the slug), kept for a round trip; a name a Moodle user writes
    ("Question 1") is no slug, and the import makes one."""
    text = _text(name)
    return text if SLUG.match(text) else ""


def _text(element: ET.Element | None) -> str:
    if element is None:
        return ""
    node = element.find("text")
    raw = (node.text if node is not None else element.text) or ""
    if element.get("format", "") == "html":
        raw = html.unescape(_TAG.sub("", raw.replace("<br>", "\n").replace("</p>", "\n")))
    return raw.strip()


def write_moodle_xml(drafts: list[Draft]) -> str:
    """Essay questions in Moodle XML: the prompt as Markdown, the reference for graders, the rubric lines."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    for d in drafts:
        tags = "".join(
            f"<tag><text>{escape(t)}</text></tag>" for t in [*d.topics, DIFFICULTY_TAG + d.difficulty]
        )
        rubric = "\n".join(format_point(p) for p in d.rubric)
        parts.append(
            '  <question type="essay">\n'
            f"    <name><text>{escape(d.slug)}</text></name>\n"
            f'    <questiontext format="markdown"><text>{escape(d.prompt)}</text></questiontext>\n'
            f'    <generalfeedback format="markdown"><text>{escape(rubric)}</text></generalfeedback>\n'
            f"    <defaultgrade>{sum(p.points for p in d.rubric) or 10}</defaultgrade>\n"
            "    <responseformat>editor</responseformat>\n"
            f'    <graderinfo format="markdown"><text>{escape(d.reference_answer)}</text></graderinfo>\n'
            f"    <tags>{tags}</tags>\n"
            "  </question>"
        )
    parts.append("</quiz>\n")
    return "\n".join(parts)
