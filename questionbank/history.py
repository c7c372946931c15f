"""Who changed a question, its rubric points or its misconceptions, when, and what (django-simple-history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from questionbank.models import Misconception, Question, RubricCriterion

_KIND = {"+": gettext_lazy("added"), "~": gettext_lazy("changed"), "-": gettext_lazy("deleted")}


@dataclass(frozen=True)
class HistoryRow:
    when: datetime
    who: str
    what: str
    changes: str


def question_history(question: Question, limit: int = 30) -> list[HistoryRow]:
    """The latest edits of the question and of its rubric points and misconceptions, newest first."""
    records: list[tuple[str, Any]] = [
        (_("question"), record) for record in Question.history.filter(id=question.pk)[:limit]
    ]
    records += [
        (_("rubric point"), r) for r in RubricCriterion.history.filter(question_id=question.pk)[:limit]
    ]
    records += [
        (_("misconception"), r) for r in Misconception.history.filter(question_id=question.pk)[:limit]
    ]
    records.sort(key=lambda item: item[1].history_date, reverse=True)
    return [_row(name, record) for name, record in records[:limit]]


def _row(name: str, record: Any) -> HistoryRow:
    kind = _KIND.get(record.history_type, _KIND["~"])
    changes = ""
    previous = record.prev_record if record.history_type == "~" else None
    if previous is not None:
        delta = record.diff_against(previous)
        changes = "; ".join(
            f"{record.instance._meta.get_field(change.field).verbose_name}: "
            f"{_short(change.old)} → {_short(change.new)}"
            for change in delta.changes
        )
    label = str(record.instance)
    return HistoryRow(
        when=record.history_date,
        who=record.history_user.get_username() if record.history_user else "—",
        what=f"{name} {kind}: {_short(label)}",
        changes=changes,
    )


def _short(value: object, width: int = 60) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"
