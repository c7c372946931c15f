"""Session titles in the viewer's language, and a question's earlier grades on the results page."""

from __future__ import annotations

from django import template

from interviews.selectors.history import PastGrade
from interviews.titles import session_title

register = template.Library()
register.filter("session_title", session_title)


@register.filter
def grades_for(history: dict[int, list[PastGrade]], question_id: int) -> list[PastGrade]:
    return history.get(question_id, []) if history else []
