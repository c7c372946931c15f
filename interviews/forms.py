from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from interviews.services import practice
from questionbank.models import Question, Topic


class PracticeForm(forms.Form):
    topics = forms.MultipleChoiceField(label=gettext_lazy("Topics"), required=False)
    difficulty = forms.ChoiceField(
        label=gettext_lazy("Difficulty"),
        required=False,
        choices=[("", gettext_lazy("Any")), *Question.Difficulty.choices],
    )
    count = forms.IntegerField(
        label=gettext_lazy("Number of questions"),
        min_value=1,
        max_value=practice.PRACTICE_MAX_QUESTIONS,
        initial=5,
    )
    time_mode = forms.ChoiceField(
        label=gettext_lazy("Time limit"),
        choices=[
            (practice.TIME_MODE_TOTAL, gettext_lazy("Total time")),
            (practice.TIME_MODE_SUGGESTED, gettext_lazy("The questions' suggested times")),
        ],
        initial=practice.TIME_MODE_TOTAL,
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Mode"),
        choices=[
            (practice.MODE_EXAM, gettext_lazy("Exam: grades after the session")),
            (practice.MODE_COACHING, gettext_lazy("Coaching: each grade right after its answer")),
        ],
        initial=practice.MODE_EXAM,
        required=False,
    )
    reference_now = forms.BooleanField(
        label=gettext_lazy("In coaching mode, show the reference answer with each grade"),
        required=False,
        initial=True,
    )
    minutes = forms.IntegerField(
        label=gettext_lazy("Minutes"),
        min_value=1,
        max_value=practice.PRACTICE_MAX_MINUTES,
        initial=30,
        required=False,
    )

    def __init__(self, *args: Any, topics: list[Topic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [(t.slug, t.name) for t in topics]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Only when nothing was given: a value out of range already has its own message.
        missing = data.get("minutes") is None and "minutes" not in self.errors
        if data.get("time_mode") == practice.TIME_MODE_TOTAL and missing:
            self.add_error("minutes", _("Give the time limit in minutes."))
        return data
