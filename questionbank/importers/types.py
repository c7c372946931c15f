from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from questionbank.bank_files import QuestionSpec

# A question's slug: lower-case letters, digits and hyphens.
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass
class DraftPoint:
    description: str
    points: int
    terms: list[str] = field(default_factory=list)


@dataclass
class DraftMisconception:
    claim: str
    phrasings: list[str]
    contradicts: int  # 1-based rubric point


@dataclass
class Draft:
    """A question as a document gives it; `line` is where it starts (1-based)."""

    prompt: str
    reference_answer: str
    line: int
    slug: str = ""
    topics: list[str] = field(default_factory=list)
    difficulty: str = "medium"
    language: str = "zh"
    suggested_seconds: int = 300
    rubric: list[DraftPoint] = field(default_factory=list)
    misconceptions: list[DraftMisconception] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    status: str = "draft"
    # The bank's own YAML carries the whole spec (English fields too), kept as it was read.
    spec: QuestionSpec | None = None


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ParseResult:
    drafts: list[Draft] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    # What was left out without blocking the rest: a Moodle or GIFT question of a type the bank cannot use.
    warnings: list[LineError] = field(default_factory=list)


def skipped_kind(kind: str) -> str:
    """The warning for a question neither essay nor short answer (multiple choice, true/false…)."""
    return _("%(kind)s question skipped: only essay and short-answer questions are imported") % {"kind": kind}
