"""CSV: one question a row — prompt, reference answer, topics, difficulty, and the rubric in one cell.

The rubric cell holds one point a line, `description | points | term; term`. The same layout is what the
CSV export writes, so that export then import changes nothing.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from questionbank.importers.types import Draft, DraftPoint, LineError, ParseResult

COLUMNS = [
    "slug",
    "prompt",
    "reference_answer",
    "topics",
    "difficulty",
    "language",
    "suggested_seconds",
    "rubric",
]
REQUIRED = {"prompt", "reference_answer"}
DIFFICULTIES = {"easy", "medium", "hard"}


def parse_csv(text: str) -> ParseResult:
    result = ParseResult()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = REQUIRED - set(reader.fieldnames or [])
    if missing:
        result.errors.append(
            LineError(1, _("missing columns: %(columns)s") % {"columns": ", ".join(sorted(missing))})
        )
        return result
    try:
        for row in reader:
            line = reader.line_num
            try:
                result.drafts.append(_draft(row, line))
            except ValueError as exc:
                result.errors.append(LineError(line, str(exc)))
    except csv.Error as exc:  # a field over csv's 128 KB limit, a NUL byte: the rest cannot be read
        problem = _("not valid CSV: %(problem)s") % {"problem": exc}
        result.errors.append(LineError(reader.line_num + 1, problem))  # the line it stopped in
    return result


def _draft(row: dict[str, str], line: int) -> Draft:
    prompt, answer = (row.get("prompt") or "").strip(), (row.get("reference_answer") or "").strip()
    if not prompt or not answer:
        raise ValueError(_("a question needs a prompt and a reference answer"))
    difficulty = (row.get("difficulty") or "medium").strip()
    if difficulty not in DIFFICULTIES:
        raise ValueError(_("difficulty %(value)s is not one of easy, medium, hard") % {"value": difficulty})
    seconds = (row.get("suggested_seconds") or "300").strip()
    if not seconds.isdigit():
        raise ValueError(_("suggested_seconds %(value)s is not a number") % {"value": seconds})
    return Draft(
        prompt=prompt,
        reference_answer=answer,
        line=line,
        slug=(row.get("slug") or "").strip(),
        topics=[t.strip() for t in (row.get("topics") or "").replace(";", ",").split(",") if t.strip()],
        difficulty=difficulty,
        language=(row.get("language") or "zh").strip(),
        suggested_seconds=int(seconds),
        rubric=[parse_point(cell) for cell in (row.get("rubric") or "").splitlines() if cell.strip()],
    )


def parse_point(cell: str) -> DraftPoint:
    parts = [p.strip() for p in cell.split("|")]
    if len(parts) < 2 or not parts[1].isdigit() or not parts[0]:
        raise ValueError(
            _("rubric point %(point)s: write it as `description | points | term; term`") % {"point": cell}
        )
    terms = [t.strip() for t in parts[2].split(";") if t.strip()] if len(parts) > 2 else []
    return DraftPoint(description=parts[0], points=int(parts[1]), terms=terms)


def format_point(point: DraftPoint) -> str:
    return f"{point.description} | {point.points} | {'; '.join(point.terms)}"


def write_csv(drafts: list[Draft]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for d in drafts:
        writer.writerow(
            {
                "slug": d.slug,
                "prompt": d.prompt,
                "reference_answer": d.reference_answer,
                "topics": ", ".join(d.topics),
                "difficulty": d.difficulty,
                "language": d.language,
                "suggested_seconds": d.suggested_seconds,
                "rubric": "\n".join(format_point(p) for p in d.rubric),
            }
        )
    return out.getvalue()
