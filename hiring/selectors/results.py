"""A session's results: one row per attempt, one cell per question; queries constant in the number of
candidates (three or four prefetches)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy as _

from interviews.grading.types import Flag
from interviews.models import Answer, Appeal, Attempt, Grade, Session, SessionItem
from interviews.selectors.attempts import attempt_seconds_used

FLAG_LABELS: dict[str, StrPromise] = {
    "uncertain": _("Uncertain"),
    "provisional": _("Provisional"),
    "injection": _("Injection suspected"),
    "off_topic": _("Off topic"),
    "empty": _("Empty answer"),
    "appealed": _("Appealed"),
    "reviewed": _("Reviewed by a person"),
}
# The judge's flags that a results row shows, by the name of its badge.
FLAG_NAMES = {Flag.INJECTION: "injection", Flag.OFF_TOPIC: "off_topic", Flag.EMPTY: "empty"}
SORTS = ("candidate", "status", "total", "time", "started")


@dataclass(frozen=True)
class Column:
    position: int
    item: SessionItem

    @property
    def label(self) -> str:
        return f"Q{self.position}"


@dataclass
class Cell:
    answer: Answer
    grade: Grade | None
    open_appeals: int

    @property
    def flags(self) -> list[str]:
        grade, flags = self.grade, []
        if grade and grade.uncertain and grade.judge != Grade.Judge.HUMAN:
            flags.append("uncertain")
        if grade and grade.provisional and grade.judge != Grade.Judge.HUMAN:
            flags.append("provisional")
        flags += [name for flag, name in FLAG_NAMES.items() if grade and flag in grade.flags]
        if self.open_appeals:
            flags.append("appealed")
        if grade and grade.judge == Grade.Judge.HUMAN:
            flags.append("reviewed")
        return flags


@dataclass
class ResultRow:
    attempt: Attempt
    cells: dict[int, Cell] = field(default_factory=dict)  # by answer position
    line: list[Cell | None] = field(default_factory=list)  # one per column of the table

    @property
    def total(self) -> Decimal:
        return sum((c.grade.score for c in self.cells.values() if c.grade), Decimal(0))

    @property
    def max_total(self) -> Decimal:
        return sum((c.grade.max_score for c in self.cells.values() if c.grade), Decimal(0))

    @property
    def seconds_used(self) -> int:
        return attempt_seconds_used(attempt=self.attempt)

    @property
    def flags(self) -> list[tuple[str, StrPromise]]:
        names = {name for cell in self.cells.values() for name in cell.flags}
        return [(name, label) for name, label in FLAG_LABELS.items() if name in names]


@dataclass(frozen=True)
class ResultsTable:
    session: Session
    columns: list[Column]
    rows: list[ResultRow]


def session_columns(*, session: Session) -> list[Column]:
    """One column per question a candidate answers: a random item of n questions gives n columns."""
    columns: list[Column] = []
    for item in session.items.select_related("question", "topic").order_by("order"):
        for _n in range(item.count):
            columns.append(Column(position=len(columns) + 1, item=item))
    return columns


def session_results(*, session: Session, sort: str = "started", descending: bool = False) -> ResultsTable:
    # Filtered prefetches: here an answer's `grades` hold its current grade and `appeals` its open appeals.
    current = Prefetch("grades", queryset=Grade.objects.filter(is_current=True))
    open_appeals = Prefetch("appeals", queryset=Appeal.objects.filter(status=Appeal.Status.OPEN))
    answers = Answer.objects.select_related("question").prefetch_related(current, open_appeals)
    attempts = (
        Attempt.objects.filter(session=session)
        .select_related("candidate")
        .prefetch_related(Prefetch("answers", queryset=answers))
    )
    columns = session_columns(session=session)
    rows = []
    for attempt in attempts:
        row = ResultRow(attempt=attempt)
        for answer in attempt.answers.all():
            grades = list(answer.grades.all())
            appealed = len(answer.appeals.all())
            row.cells[answer.position] = Cell(
                answer=answer, grade=grades[0] if grades else None, open_appeals=appealed
            )
        row.line = [row.cells.get(column.position) for column in columns]
        rows.append(row)
    rows.sort(key=_sort_key(sort), reverse=descending)
    return ResultsTable(session=session, columns=columns, rows=rows)


def _sort_key(sort: str) -> Callable[[ResultRow], Any]:
    keys: dict[str, Callable[[ResultRow], Any]] = {
        "candidate": lambda r: r.attempt.candidate.get_username().lower(),
        "status": lambda r: r.attempt.status,
        "total": lambda r: r.total,
        "time": lambda r: r.seconds_used,
        "started": lambda r: r.attempt.started_at,
    }
    return keys.get(sort, keys["started"])
