from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from interviews.admin import report_regrade
from interviews.services.grading import question_regrade
from questionbank.models import Question, RubricCriterion, Topic


class RubricCriterionInline(admin.TabularInline):
    model = RubricCriterion
    extra = 0
    fields = ("order", "description", "points", "terms")


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
        return topic.question_count


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
    inlines = [RubricCriterionInline]
    list_per_page = 50
    actions = ["regrade_answers"]

    @admin.action(description=_("Grade every answer again with the current rubric"))
    def regrade_answers(self, request: HttpRequest, questions: QuerySet[Question]) -> None:
        queued = sum(question_regrade(question=question) for question in questions)
        report_regrade(self, request, queued=queued)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        # A subquery, not Sum("rubric__points"): the topic filter joins another many-valued relation.
        totals = (
            RubricCriterion.objects.filter(question=OuterRef("pk"))
            .values("question")
            .annotate(total=Sum("points"))
            .values("total")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(rubric_total=Subquery(totals, output_field=IntegerField()))
            .prefetch_related("topics")
        )

    @admin.display(description=_("rubric total"), ordering="rubric_total")
    def rubric_total(self, question: Question) -> int:
        return question.rubric_total or 0

    @admin.display(description=_("topics"))
    def topic_names(self, question: Question) -> str:
        return ", ".join(topic.name for topic in question.topics.all())

    @admin.display(description=_("sources"))
    def sources_display(self, question: Question) -> str:
        return ", ".join(question.sources) or "—"
