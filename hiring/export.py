"""A session's results as CSV: one row per candidate, a column per question and per rubric point of fixed
questions, UTF-8 with a byte order mark so that Excel opens Chinese text correctly."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from hiring.selectors.results import Column, ResultsTable

BOM = "\ufeff"


def results_csv(*, table: ResultsTable) -> str:
    points = _rubric_columns(table.columns)
    header = [
        _("Candidate"),
        _("Email"),
        _("Status"),
        _("Started"),
        _("Time used (s)"),
        _("Total"),
        _("Maximum"),
    ]
    for column in table.columns:
        header += [f"{column.label} {_('question')}", f"{column.label} {_('score')}"]
        header += [
            f"{column.label}.{n} {description}"
            for n, (_pk, description) in enumerate(points[column.position], 1)
        ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_text(h) for h in header])
    for row in table.rows:
        attempt = row.attempt
        line: list[object] = [
            _text(attempt.candidate.get_username()),
            _text(attempt.candidate.email),
            attempt.get_status_display(),
            timezone.localtime(attempt.started_at).strftime("%Y-%m-%d %H:%M"),
            row.seconds_used,
            _number(row.total),
            _number(row.max_total),
        ]
        for column in table.columns:
            cell = row.cells.get(column.position)
            grade = cell.grade if cell else None
            line += [_text(cell.answer.question.title) if cell else "", _number(grade.score) if grade else ""]
            earned = {str(c.get("criterion_id")): c.get("points") for c in grade.criteria} if grade else {}
            line += [_number(earned.get(pk, "")) for pk, _description in points[column.position]]
        writer.writerow(line)
    return BOM + out.getvalue()


def _rubric_columns(columns: list[Column]) -> dict[int, list[tuple[str, str]]]:
    """Per column, the rubric points (criterion id, description) of its fixed question; none for random items,
    whose questions differ between candidates."""
    return {
        c.position: [(str(r.pk), r.description_shown) for r in c.item.question.rubric.all()]
        if c.item.question
        else []
        for c in columns
    }


def _text(value: str) -> str:
    """Text a spreadsheet shows as text: a cell opening with = + - @ (a username "=HYPERLINK(…)", a title)
    would be run as a formula, so it gets a leading apostrophe (OWASP's advice on CSV injection)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _number(value: object) -> object:
    """2.0 -> 2, 2.50 -> 2.5: numbers as a spreadsheet shows them."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return value
    return int(number) if number.is_integer() else number
