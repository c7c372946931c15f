from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from interviews.models import Answer, Appeal, Attempt, ExamplesDecision, Grade, Session, SessionItem
from interviews.services.grading import answer_regrade, question_regrade
from questionbank.admin import QuestionAdmin as BankQuestionAdmin
from questionbank.models import Question


def report_regrade(model_admin: admin.ModelAdmin, request: HttpRequest, *, queued: int) -> None:
    model_admin.message_user(
        request,
        ngettext("%(n)d answer queued for grading.", "%(n)d answers queued for grading.", queued)
        % {"n": queued},
        messages.SUCCESS,
    )


class ReadOnlyInline(admin.TabularInline):
    """Rows written by the interview and grading workflows: shown, never edited here."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Attempts, answers and grades change only through their services (claims, the current-grade switch)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class SessionItemInline(admin.TabularInline):
    model = SessionItem
    extra = 0
    autocomplete_fields = ("question",)
    fields = ("order", "question", "topic", "difficulty", "count", "time_seconds")


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "owner", "is_open", "time_limit_seconds", "created_at")
    list_filter = ("kind", "is_open")
    search_fields = ("title", "owner__username")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)
    readonly_fields = ("invite_token", "created_at")
    inlines = [SessionItemInline]


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ("position", "question", "status", "saved_at", "submitted_at", "seconds_spent")
    readonly_fields = fields


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    """Attempts are made by candidates starting a session (with one answer per question), never by hand."""

    list_display = ("id", "candidate", "session", "status", "started_at", "deadline", "finished_at")
    list_filter = ("status", "session__kind")
    search_fields = ("candidate__username", "session__title")
    list_select_related = ("candidate", "session")
    date_hierarchy = "started_at"
    inlines = [AnswerInline]


class GradeInline(ReadOnlyInline):
    model = Grade
    fields = ("is_current", "judge", "model", "score", "max_score", "uncertain", "provisional", "created_at")
    readonly_fields = fields


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ("id", "attempt", "question", "status", "saved_at", "submitted_at")
    list_filter = ("status",)
    search_fields = ("attempt__candidate__username", "question__slug")
    list_select_related = ("attempt__candidate", "attempt__session", "question")
    inlines = [GradeInline]
    actions = ["regrade"]

    @admin.action(description=_("Grade again with the current rubric (earlier grades are kept)"))
    def regrade(self, request: HttpRequest, answers: QuerySet[Answer]) -> None:
        report_regrade(self, request, queued=sum(answer_regrade(answer=answer) for answer in answers))


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    """Candidates open appeals from their results; interviewers answer them with an override."""

    list_display = ("id", "answer", "criterion_id", "status", "created_at", "resolved_by", "resolved_at")
    list_filter = ("status",)
    search_fields = ("answer__attempt__candidate__username", "reason")
    list_select_related = ("answer", "resolved_by")


@admin.register(Grade)
class GradeAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "answer",
        "judge",
        "model",
        "score",
        "max_score",
        "provisional",
        "uncertain",
        "confidence",
        "is_current",
        "created_at",
    )
    list_filter = ("judge", "uncertain", "provisional", "is_current")
    search_fields = ("answer__attempt__candidate__username", "answer__question__slug", "model")
    list_select_related = ("answer",)
    date_hierarchy = "created_at"
    # The JSON fields are shown as tables, not as raw JSON.
    fields = (
        ("answer", "is_current"),
        ("judge", "model", "judge_version", "prompt_version"),
        ("score", "max_score", "confidence", "uncertain", "provisional"),
        "why_link",
        "criteria_table",
        "feedback",
        "wrong_claims",
        "flag_list",
        "rubric_table",
        "rubric_hash",
        ("tokens_in", "tokens_out", "latency_ms", "cost_usd"),
        ("graded_by", "comment"),
        "created_at",
    )
    readonly_fields = ("why_link", "criteria_table", "rubric_table", "wrong_claims", "flag_list")

    @admin.display(description=_("Why this score"))
    def why_link(self, grade: Grade) -> str:
        return format_html('<a href="{}">{}</a>', reverse("grade_why", args=[grade.pk]), _("Why this score"))

    @admin.display(description=_("rubric points"))
    def criteria_table(self, grade: Grade) -> str:
        return readable_table(
            [_("rubric point"), _("verdict"), _("points"), _("evidence"), _("comment")],
            [
                (
                    c.get("description", ""),
                    c.get("verdict", ""),
                    f"{c.get('points', 0):g} / {c.get('points_possible', 0):g}",
                    "; ".join(map(str, c.get("evidence") or []))
                    if isinstance(c.get("evidence"), list)
                    else c.get("evidence", ""),
                    c.get("comment", ""),
                )
                for c in grade.criteria
            ],
        )

    @admin.display(description=_("rubric as graded"))
    def rubric_table(self, grade: Grade) -> str:
        return readable_table(
            [_("rubric point"), _("points"), _("accepted terms")],
            [
                (c.get("description", ""), c.get("points", ""), ", ".join(c.get("terms") or []))
                for c in grade.rubric_snapshot
            ],
        )

    @admin.display(description=_("wrong claims"))
    def wrong_claims(self, grade: Grade) -> str:
        return format_html_join(mark_safe("<br>"), "{}", ((claim,) for claim in grade.misconceptions)) or "—"

    @admin.display(description=_("flags"))
    def flag_list(self, grade: Grade) -> str:
        return ", ".join(map(str, grade.flags)) or "—"


def readable_table(headers: list[Any], rows: list[tuple[object, ...]]) -> str:
    """A small HTML table (escaped) for JSON lists in the admin."""
    if not rows:
        return "—"
    head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
    cells = "".join(
        format_html("<tr>{}</tr>", format_html_join("", "<td>{}</td>", ((cell,) for cell in row)))
        for row in rows
    )
    return format_html(
        '<table class="readable"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>', head, mark_safe(cells)
    )


# The bank's question admin, with the action that reaches into interviews: the bank itself knows no answers.
admin.site.unregister(Question)


@admin.register(Question)
class QuestionAdmin(BankQuestionAdmin):
    actions = [*BankQuestionAdmin.actions, "regrade_answers"]

    @admin.action(description=_("Grade every answer again with the current rubric"))
    def regrade_answers(self, request: HttpRequest, questions: QuerySet[Question]) -> None:
        queued = sum(question_regrade(question=question) for question in questions)
        report_regrade(self, request, queued=queued)


@admin.register(ExamplesDecision)
class ExamplesDecisionAdmin(ReadOnlyAdmin):
    """What `recalibrate_judge --examples K` measured; the latest decision holds. Delete it to stop using
    graded examples at once (the one before it then holds)."""

    list_display = ("created_at", "examples", "adopted", "held_aside", "without_examples", "with_examples")
    readonly_fields = list_display + ("held_aside_share",)
