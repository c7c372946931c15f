from __future__ import annotations

from typing import TypedDict

from django import forms
from django.utils.translation import gettext_lazy as _

from questionbank.models import Question, Topic

SEARCH_LENGTH = 100


class CatalogueFilters(TypedDict):
    search: str
    topic: Topic | None
    difficulty: str
    status: str


class CatalogueFilterForm(forms.Form):
    """The catalogue's GET filters; an invalid value is ignored rather than shown as an error."""

    # A longer search (a pasted paragraph, a hand-made URL) is cut to its start, not dropped for "everything".
    q = forms.CharField(
        label=_("Search"), required=False, widget=forms.TextInput(attrs={"maxlength": SEARCH_LENGTH})
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), to_field_name="slug", required=False
    )
    difficulty = forms.ChoiceField(
        label=_("Difficulty"),
        choices=[("", _("Any difficulty")), *Question.Difficulty.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Question.Status.choices], required=False
    )

    def filters(self) -> CatalogueFilters:
        """The valid filters as keyword arguments for `question_list`."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "search": (data.get("q") or "").strip()[:SEARCH_LENGTH],
            "topic": data.get("topic"),
            "difficulty": data.get("difficulty") or "",
            "status": data.get("status") or "",
        }
