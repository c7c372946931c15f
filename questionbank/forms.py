"""The bank admin's form pieces: lists one per line, Markdown with a live preview, the rubric total."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from questionbank.models import Question

# Every question of the bank awards this many points; the rubric editor checks it as you type.
RUBRIC_TOTAL = 10


def lines_to_list(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class LinesField(forms.JSONField):
    """A JSON list of strings edited as text, one item per line (a JSON field refused plain text)."""

    widget = forms.Textarea(attrs={"rows": 3, "class": "lines"})
    default_error_messages = {"invalid": _("Write one item per line.")}

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            return [str(item).strip() for item in value if str(item).strip()]
        return lines_to_list(str(value or ""))

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return "" if value is None else str(value)

    def bound_data(self, data: Any, initial: Any) -> Any:
        return data

    def has_changed(self, initial: Any, data: Any) -> bool:
        return list(initial or []) != self.to_python(data)


class MarkdownPreviewWidget(forms.Textarea):
    """A textarea with its rendered Markdown + KaTeX beside it, refreshed by HTMX as the admin types."""

    template_name = "questionbank/widgets/markdown_preview.html"

    def __init__(self, preview_url: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"rows": 8, **(attrs or {})})
        self.preview_url = preview_url

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["preview_url"] = f"{self.preview_url}?field={name}"
        return context


class RubricFormSet(forms.BaseInlineFormSet):
    """The rubric's points must add up to the bank's total before a question is saved; a published question
    (the status chosen on the same page) needs that rubric, accepted, as the Publish action does."""

    def clean(self) -> None:
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        total = sum(data.get("points") or 0 for data in kept)
        published = getattr(self.instance, "status", "") == Question.Status.PUBLISHED
        if (kept or published) and total != RUBRIC_TOTAL:
            raise forms.ValidationError(
                _("The rubric's points add up to %(total)d; they must add up to %(wanted)d.")
                % {"total": total, "wanted": RUBRIC_TOTAL}
            )
        if published and any(data.get("proposed") for data in kept):
            raise forms.ValidationError(
                _("A published question's rubric has no proposed points: accept them or save it as a draft.")
            )
