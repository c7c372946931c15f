from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hiring.services.questions import RubricPoint, WrongClaim
from hiring.services.reviews import PointDecision
from interviews.models import Appeal, Session
from interviews.selectors.attempts import VERDICTS
from questionbank.models import Question, Topic

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
ANY_DIFFICULTY = [("", _("Any difficulty")), *Question.Difficulty.choices]


# Far enough to plan any interview, near enough that converting to UTC and back cannot overflow.
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2999, 12, 31, tzinfo=UTC)


class SessionSettingsForm(forms.ModelForm):
    minutes = forms.IntegerField(label=_("Total time (minutes)"), min_value=1, max_value=480)
    attempts_allowed = forms.IntegerField(
        label=_("Attempts allowed per candidate"), min_value=1, max_value=100
    )

    class Meta:
        model = Session
        fields = [
            "title",
            "review_feedback",
            "review_reference",
            "is_open",
            "opens_at",
            "closes_at",
            "attempts_allowed",
        ]
        widgets = {"opens_at": DATETIME_WIDGET, "closes_at": DATETIME_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["minutes"].initial = max(1, self.instance.time_limit_seconds // 60)
        self.fields["title"].required = True
        # Entered and shown in the viewer's zone (config.middleware.TimeZoneMiddleware): say which it is.
        zone = {"zone": timezone.get_current_timezone_name()}
        self.fields["opens_at"].help_text = (
            _("Empty: open as soon as the session is open. Time zone: %(zone)s.") % zone
        )
        self.fields["closes_at"].help_text = _("Empty: no closing time. Time zone: %(zone)s.") % zone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("opens_at", "closes_at"):
            moment = data.get(name)
            if moment and not EARLIEST <= moment <= LATEST:
                self.add_error(name, _("Choose a date between the years 2000 and 2999."))
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The closing time must be after the opening time."))
        return data

    def save(self, commit: bool = True) -> Session:
        self.instance.time_limit_seconds = self.cleaned_data["minutes"] * 60
        return super().save(commit=commit)


class ItemTimeForm(forms.Form):
    """One question's time in a session, a whole number (its range is the service's); empty: the question's
    suggested time."""

    minutes = forms.IntegerField(required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search questions"), required=False, max_length=100)
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any topic"),
    )
    difficulty = forms.ChoiceField(label=_("Difficulty"), choices=ANY_DIFFICULTY, required=False)

    def filters(self) -> dict[str, Any]:
        """Valid filters for `question_search`; an invalid value is ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "search": (data.get("q") or "").strip(),
            "topic": data.get("topic"),
            "difficulty": data.get("difficulty") or "",
        }


# The random-item form shares field names with the search and settings forms on the builder page: its own
# prefix keeps the ids apart, so that each label focuses its own field.
RANDOM_PREFIX = "random"


class RandomItemForm(forms.Form):
    count = forms.IntegerField(label=_("Number of questions"), min_value=1, max_value=10, initial=1)
    difficulty = forms.ChoiceField(label=_("Difficulty"), choices=ANY_DIFFICULTY, required=False)
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any topic"),
    )
    minutes = forms.IntegerField(label=_("Minutes per question"), min_value=1, max_value=240, required=False)


class CustomQuestionForm(forms.Form):
    prompt = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    reference_answer = forms.CharField(
        label=_("Reference answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )
    difficulty = forms.ChoiceField(
        label=_("Difficulty"), choices=Question.Difficulty.choices, initial="medium"
    )
    language = forms.ChoiceField(label=_("Language"), choices=Question.Language.choices)
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("None"),
    )
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=240, initial=5)


class RubricPointForm(forms.Form):
    description = forms.CharField(label=_("Key point"), max_length=500, required=False)
    points = forms.IntegerField(label=_("Points"), min_value=1, max_value=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("description") and not data.get("points"):
            self.add_error("points", _("Give this key point its points."))
        if data.get("points") and not data.get("description"):
            self.add_error("description", _("Describe this key point."))
        return data


class WrongClaimForm(forms.Form):
    claim = forms.CharField(label=_("Wrong claim"), max_length=500, required=False)
    phrasings = forms.CharField(
        label=_("Phrasings (one per line)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    point = forms.IntegerField(
        label=_("Contradicts key point no."), min_value=1, max_value=10, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("claim") and not data.get("point"):
            self.add_error("point", _("Say which key point this claim contradicts."))
        if not data.get("claim") and ((data.get("phrasings") or "").strip() or data.get("point")):
            self.add_error("claim", _("Write the wrong claim that these phrasings state."))
        return data


RubricFormSet = forms.formset_factory(RubricPointForm, extra=4, max_num=10)
WrongClaimFormSet = forms.formset_factory(WrongClaimForm, extra=2, max_num=10)


def rubric_points(formset: forms.BaseFormSet) -> list[RubricPoint]:
    return [
        RubricPoint(description=f.cleaned_data["description"], points=f.cleaned_data["points"])
        for f in formset.forms
        if f.cleaned_data.get("description")
    ]


def wrong_claims(formset: forms.BaseFormSet) -> list[WrongClaim]:
    return [
        WrongClaim(
            claim=f.cleaned_data["claim"],
            phrasings=tuple(
                line.strip() for line in f.cleaned_data["phrasings"].splitlines() if line.strip()
            ),
            point=f.cleaned_data["point"],
        )
        for f in formset.forms
        if f.cleaned_data.get("claim")
    ]


_AGREEING_POINTS = {
    "missed": _("A missed point earns 0 points."),
    "met": _("A met point earns its full %(points)s points."),
    "partial": _("A partly met point earns more than 0 and less than %(points)s points."),
}


COMMENT_LENGTH = 2000  # a reviewer's comment, overall and per point


class OverrideForm(forms.Form):
    """One verdict, points and comment per rubric point of the current grade, and an overall comment."""

    comment = forms.CharField(
        label=_("Comment for the candidate"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=COMMENT_LENGTH,
    )

    def __init__(
        self,
        *args: Any,
        criteria: list[dict[str, Any]],
        judged: list[dict[str, Any]] | None = None,
        appeals: Mapping[str, Appeal] | None = None,
        **kwargs: Any,
    ) -> None:
        """`criteria`: the current grade's; `judged`: the judge's latest grade's, shown beside each point."""
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.judged = {
            str(c.get("criterion_id")): {**c, "verdict_label": VERDICTS.get(c.get("verdict", ""), "")}
            for c in judged or []
        }
        self.appeals = appeals or {}
        verdicts = list(VERDICTS.items())
        for c in criteria:
            key = str(c.get("criterion_id"))
            possible = Decimal(str(c.get("points_possible", 0)))
            self.fields[f"verdict_{key}"] = forms.ChoiceField(
                label=_("Verdict"), choices=verdicts, initial=c.get("verdict")
            )
            self.fields[f"points_{key}"] = forms.DecimalField(
                label=_("Points"),
                min_value=Decimal(0),
                max_value=possible,
                decimal_places=2,
                initial=Decimal(str(c.get("points", 0))).normalize(),
            )
            self.fields[f"comment_{key}"] = forms.CharField(
                label=_("Comment on this point"), required=False, max_length=COMMENT_LENGTH
            )

    def clean(self) -> dict[str, Any]:
        """A verdict and its points agree: missed is 0, met the point's full points, partial in between."""
        data = super().clean() or {}
        for c in self.criteria:
            key = str(c.get("criterion_id"))
            verdict, points = data.get(f"verdict_{key}"), data.get(f"points_{key}")
            if verdict is None or points is None:
                continue
            possible = Decimal(str(c.get("points_possible", 0)))
            agrees = {"missed": points == 0, "met": points == possible}.get(verdict, 0 < points < possible)
            if not agrees:
                self.add_error(f"points_{key}", _AGREEING_POINTS[verdict] % {"points": possible.normalize()})
        return data

    def points(self) -> list[dict[str, Any]]:
        """The criteria with their bound fields, for the template."""
        return [
            {
                **c,
                "judged": self.judged.get(str(c.get("criterion_id"))),
                "appeal": self.appeals.get(str(c.get("criterion_id"))),
                "verdict_field": self[f"verdict_{c.get('criterion_id')}"],
                "points_field": self[f"points_{c.get('criterion_id')}"],
                "comment_field": self[f"comment_{c.get('criterion_id')}"],
            }
            for c in self.criteria
        ]

    def decisions(self) -> dict[str, PointDecision]:
        data = self.cleaned_data
        return {
            key: PointDecision(
                verdict=data[f"verdict_{key}"], points=data[f"points_{key}"], comment=data[f"comment_{key}"]
            )
            for key in (str(c.get("criterion_id")) for c in self.criteria)
        }
