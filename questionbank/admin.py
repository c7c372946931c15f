from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, ForeignKey, JSONField, QuerySet, TextField
from django.forms import ModelChoiceField, Textarea
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from questionbank.models import Misconception, Question, RubricCriterion, Topic


class RubricCriterionInline(admin.TabularInline):
    model = RubricCriterion
    extra = 0
    fields = ("order", "description", "points", "terms")


class MisconceptionInline(admin.TabularInline):
    model = Misconception
    extra = 0
    fields = ("order", "claim", "phrasings", "criterion")
    formfield_overrides = {
        TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 36})},
        JSONField: {"widget": Textarea(attrs={"rows": 2, "cols": 36})},
    }

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        # Only the rubric points of the question being edited.
        if db_field.name == "criterion":
            match = request.resolver_match
            question_id = match.kwargs.get("object_id") if match else None
            points = RubricCriterion.objects.filter(question_id=question_id) if question_id else None
            kwargs["queryset"] = points if points is not None else RubricCriterion.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name_zh", "name_en", "slug", "order", "question_count")
    list_editable = ("order",)
    search_fields = ("slug", "name_zh", "name_en")
    prepopulated_fields = {"slug": ("name_en",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        return super().get_queryset(request).annotate(question_count=Count("questions")).order_by("order")

    @admin.display(description=_("questions"), ordering="question_count")
    def question_count(self, topic: Topic) -> int:
        return topic.question_count  # type: ignore[attr-defined]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "difficulty", "status", "topic_names", "rubric_total", "updated_at")
    list_filter = ("topics", "difficulty", "status", "language")
    search_fields = ("slug", "prompt")
    filter_horizontal = ("topics",)
    readonly_fields = ("sources_display", "created_at", "updated_at")
    fields = (
        "slug",
        "prompt",
        "topics",
        ("difficulty", "language", "status"),
        "suggested_seconds",
        "reference_answer",
        "sources_display",
        ("created_at", "updated_at"),
    )
    inlines = [RubricCriterionInline, MisconceptionInline]
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        return super().get_queryset(request).with_rubric_total().prefetch_related("topics")  # type: ignore[attr-defined]

    @admin.display(description=_("rubric total"), ordering="rubric_points")
    def rubric_total(self, question: Question) -> int:
        return question.rubric_total

    @admin.display(description=_("topics"))
    def topic_names(self, question: Question) -> str:
        return ", ".join(topic.name for topic in question.topics.all())

    @admin.display(description=_("sources"))
    def sources_display(self, question: Question) -> str:
        return ", ".join(question.sources) or "—"
