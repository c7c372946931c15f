"""The question admin with what needs answers and grades: stale grades and their regrade, statistics.

questionbank's admin knows no grades and interviews' adds the regrade action; this app sits above both and
registers the question admin once more with its pages (see docs/architecture.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from curation.charts import bar_chart
from curation.selectors.statistics import bank_statistics, question_statistics
from curation.services.regrade import regrade_dry_run, stale_grades, stale_regrade
from interviews.admin import QuestionAdmin as InterviewsQuestionAdmin
from questionbank.models import Question

admin.site.unregister(Question)


@admin.register(Question)
class QuestionAdmin(InterviewsQuestionAdmin):
    readonly_fields: tuple[str, ...] = (*InterviewsQuestionAdmin.readonly_fields, "grades_links")
    change_list_template = "curation/question_change_list.html"

    def get_fieldsets(self, request: HttpRequest, obj: Question | None = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.insert(1, (_("Grades"), {"fields": ("grades_links",)}))
        return fieldsets

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:pk>/stale-grades/",
                self.admin_site.admin_view(self.stale_grades_view),
                name="questionbank_question_stale_grades",
            ),
            path(
                "<int:pk>/statistics/",
                self.admin_site.admin_view(self.statistics_view),
                name="questionbank_question_statistics",
            ),
            path(
                "statistics/",
                self.admin_site.admin_view(self.bank_statistics_view),
                name="questionbank_question_bank_statistics",
            ),
        ]
        return [*own, *super().get_urls()]

    @admin.display(description=_("grades"))
    def grades_links(self, question: Question) -> str:
        stale = stale_grades(question).count()
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:questionbank_question_statistics", args=[question.pk]),
            _("Statistics"),
            reverse("admin:questionbank_question_stale_grades", args=[question.pk]),
            ngettext(
                "%(n)d grade made against an older rubric",
                "%(n)d grades made against an older rubric",
                stale,
            )
            % {"n": stale},
        )

    def stale_grades_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        question = get_object_or_404(Question, pk=pk)
        if not self.has_change_permission(request, question):
            return HttpResponse(status=403)
        dry_run = None
        if request.method == "POST" and request.POST.get("do") == "regrade":
            queued = stale_regrade(question)
            self.message_user(
                request,
                ngettext("%(n)d answer queued for grading.", "%(n)d answers queued for grading.", queued)
                % {"n": queued},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        if request.method == "POST" and request.POST.get("do") == "dry_run":
            dry_run = regrade_dry_run(question)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "question": question,
            "grades": stale_grades(question),
            "dry_run": dry_run,
            "title": _("Grades made against an older rubric"),
        }
        return TemplateResponse(request, "curation/stale_grades.html", context)

    def statistics_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        question = get_object_or_404(Question, pk=pk)
        if not self.has_view_permission(request, question):
            return HttpResponse(status=403)
        stats = question_statistics(question)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "stats": stats,
            "title": _("Statistics: %(question)s") % {"question": question.title},
            "points_chart": bar_chart(
                _("How often each rubric point is met (%)"),
                [(p.description, p.met_rate) for p in stats.points],
            ),
        }
        return TemplateResponse(request, "curation/question_statistics.html", context)

    def bank_statistics_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        stats = bank_statistics()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "stats": stats,
            "title": _("Bank statistics"),
            "topic_chart": bar_chart(
                _("Facility index by topic (%)"), [(g.label, g.facility) for g in stats.by_topic]
            ),
            "difficulty_chart": bar_chart(
                _("Facility index by difficulty (%)"), [(g.label, g.facility) for g in stats.by_difficulty]
            ),
            "tables": [(_("By topic"), stats.by_topic), (_("By difficulty"), stats.by_difficulty)],
        }
        return TemplateResponse(request, "curation/bank_statistics.html", context)
