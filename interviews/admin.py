from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from interviews.models import Answer, Attempt, Grade, Session, SessionItem
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
    fields = ("order", "question", "time_seconds")


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


# The bank's question admin, with the action that reaches into interviews: the bank itself knows no answers.
admin.site.unregister(Question)


@admin.register(Question)
class QuestionAdmin(BankQuestionAdmin):
    actions = ["regrade_answers"]

    @admin.action(description=_("Grade every answer again with the current rubric"))
    def regrade_answers(self, request: HttpRequest, questions: QuerySet[Question]) -> None:
        queued = sum(question_regrade(question=question) for question in questions)
        report_regrade(self, request, queued=queued)
