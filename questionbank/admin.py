from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.db.models import Count, ForeignKey, JSONField, QuerySet, TextField
from django.forms import Field, ModelChoiceField, Textarea
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from questionbank.exports import questions_export
from questionbank.forms import RUBRIC_TOTAL, LinesField, MarkdownPreviewWidget, RubricFormSet
from questionbank.history import question_history
from questionbank.importers.dispatch import MAX_BYTES, PARSERS, ImportRefused, parse_document
from questionbank.imports import CREATE, DUPLICATE, UNCHANGED, UPDATE, import_apply, import_preview
from questionbank.markdown import render_markdown
from questionbank.models import Misconception, Question, RubricCriterion, Topic

MARKDOWN_FIELDS = ("prompt", "prompt_en", "reference_answer", "reference_answer_en")
# JSON lists of strings, edited one item per line.
LINE_LISTS: dict[type[Any], dict[str, Any]] = {JSONField: {"form_class": LinesField}}


class RubricCriterionInline(admin.TabularInline):
    model = RubricCriterion
    formset = RubricFormSet
    extra = 0
    fields = ("order", "description", "points", "terms", "description_en", "terms_en", "proposed")
    formfield_overrides = {**LINE_LISTS, TextField: {"widget": Textarea(attrs={"rows": 2})}}


class MisconceptionInline(admin.TabularInline):
    model = Misconception
    extra = 0
    fields = ("order", "claim", "phrasings", "criterion", "claim_en", "phrasings_en", "proposed")
    formfield_overrides = {**LINE_LISTS, TextField: {"widget": Textarea(attrs={"rows": 2})}}

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
class QuestionAdmin(SimpleHistoryAdmin):
    list_display = (
        "slug",
        "question_title",
        "difficulty",
        "status",
        "owner",
        "topic_names",
        "rubric_total",
        "updated_at",
    )
    # "owner: not empty" lists interviewers' own questions, which an admin may publish to the whole bank.
    list_filter = ("status", ("owner", admin.EmptyFieldListFilter), "topics", "difficulty", "language")
    search_fields = ("slug", "prompt", "prompt_en")
    filter_horizontal = ("topics",)
    readonly_fields: tuple[str, ...] = ("sources_display", "created_at", "updated_at", "edit_history")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "slug",
                    "prompt",
                    "topics",
                    ("difficulty", "language", "status"),
                    "suggested_seconds",
                )
            },
        ),
        (_("Reference answer"), {"fields": ("reference_answer",)}),
        (
            _("English version"),
            {"fields": ("prompt_en", "reference_answer_en"), "classes": ("collapse",)},
        ),
        (
            _("Sources and history"),
            {
                "fields": ("sources_display", "sources_note", ("created_at", "updated_at"), "edit_history"),
                "classes": ("collapse",),
            },
        ),
    )
    inlines = [RubricCriterionInline, MisconceptionInline]
    list_per_page = 50

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # A new question starts as a draft: candidates see it once an admin publishes it.
        return {"status": Question.Status.DRAFT, **super().get_changeform_initial_data(request)}

    def get_inlines(
        self, request: HttpRequest, obj: Question | None
    ) -> list[type[InlineModelAdmin[Any, Any]]]:
        # A misconception names the saved rubric point it contradicts: on the add page there is none yet.
        return [RubricCriterionInline] if obj is None else [RubricCriterionInline, MisconceptionInline]

    actions = ["publish", "make_draft", "retire", "export_yaml", "export_csv", "export_xml", "export_gift"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        return super().get_queryset(request).with_rubric_total().prefetch_related("topics")

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Field | None:
        if db_field.name in MARKDOWN_FIELDS:
            kwargs["widget"] = MarkdownPreviewWidget(reverse("admin:questionbank_question_preview"))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self) -> list[URLPattern]:
        preview = path(
            "preview/",
            self.admin_site.admin_view(require_POST(self.preview_view)),
            name="questionbank_question_preview",
        )
        import_page = path(
            "import/", self.admin_site.admin_view(self.import_view), name="questionbank_question_import"
        )
        return [preview, import_page, *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a document, read the preview, confirm: only the confirmation writes (in one transaction)."""
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import questions"),
            "accepted": ", ".join(PARSERS),
            "max_kb": MAX_BYTES // 1024,
        }
        if request.method == "POST":
            upload = request.FILES.get("document")
            name = upload.name if upload else request.POST.get("name", "")
            # The confirmed text comes back from a hidden textarea, whose line breaks the browser sends as
            # CRLF whatever the file had: counted as LF, a file that passed the preview passes here too.
            posted = request.POST.get("content", "").replace("\r\n", "\n")
            data = upload.read(MAX_BYTES + 1) if upload else posted.encode()
            try:
                parsed = parse_document(name or "", data)
            except ImportRefused as exc:
                context["refused"] = str(exc)
                return TemplateResponse(request, "questionbank/import.html", context)
            plan = import_preview(parsed)
            if request.POST.get("confirm") and not plan.errors:
                written = import_apply(plan)
                self.message_user(
                    request,
                    ngettext(
                        "%(n)d question imported as a draft.",
                        "%(n)d questions imported as drafts.",
                        len(written),
                    )
                    % {"n": len(written)},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:questionbank_question_changelist") + "?status__exact=draft"
                )
            context.update(
                plan=plan,
                name=name,
                content=data.decode("utf-8-sig", errors="replace"),
                counts={action: plan.count(action) for action in (CREATE, UPDATE, UNCHANGED, DUPLICATE)},
            )
        return TemplateResponse(request, "questionbank/import.html", context)

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The Markdown + KaTeX preview of one field of the form being edited (HTMX)."""
        field = request.GET.get("field", "")
        if field not in MARKDOWN_FIELDS:
            return HttpResponseBadRequest()
        if not (self.has_change_permission(request) or self.has_add_permission(request)):
            return HttpResponse(status=403)
        return HttpResponse(render_markdown(request.POST.get(field, "")))

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> TemplateResponse:
        context["rubric_total_wanted"] = RUBRIC_TOTAL
        return super().render_change_form(request, context, *args, **kwargs)

    @admin.display(description=_("rubric total"), ordering="rubric_points")
    def rubric_total(self, question: Question) -> int:
        return question.rubric_total

    @admin.display(description=_("question"))
    def question_title(self, question: Question) -> str:
        return question.title

    @admin.display(description=_("topics"))
    def topic_names(self, question: Question) -> str:
        return ", ".join(topic.name for topic in question.topics.all())

    @admin.display(description=_("sources"))
    def sources_display(self, question: Question) -> str:
        return ", ".join(question.sources) or "—"

    @admin.display(description=_("edit history"))
    def edit_history(self, question: Question) -> str:
        rows = question_history(question) if question.pk else []
        if not rows:
            return "—"
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((row.when.strftime("%Y-%m-%d %H:%M"), row.who, row.what, row.changes) for row in rows),
        )
        return format_html(
            '<table class="readable"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            _("when"),
            _("who"),
            _("what"),
            _("changes"),
            body,
        )

    @admin.action(description=_("Publish (rubric complete and accepted)"))
    def publish(self, request: HttpRequest, questions: QuerySet[Question]) -> None:
        ready: list[Question] = []
        not_ready: list[Question] = []
        for question in questions.prefetch_related("rubric", "misconceptions"):
            rubric = list(question.rubric.all())
            proposals: list[RubricCriterion | Misconception] = [*rubric, *question.misconceptions.all()]
            accepted = not any(p.proposed for p in proposals)
            complete = sum(c.points for c in rubric) == RUBRIC_TOTAL and accepted
            (ready if complete else not_ready).append(question)
        self._status_set(request, ready, Question.Status.PUBLISHED)
        if not_ready:
            self.message_user(
                request,
                _("Not published — the rubric does not add up to %(total)d or has proposed points: %(slugs)s")
                % {"total": RUBRIC_TOTAL, "slugs": ", ".join(q.slug for q in not_ready)},
                messages.WARNING,
            )

    @admin.action(description=_("Make draft"))
    def make_draft(self, request: HttpRequest, questions: QuerySet[Question]) -> None:
        self._status_set(request, list(questions), Question.Status.DRAFT)

    @admin.action(description=_("Retire"))
    def retire(self, request: HttpRequest, questions: QuerySet[Question]) -> None:
        self._status_set(request, list(questions), Question.Status.RETIRED)

    @admin.action(description=_("Export to the bank's YAML"))
    def export_yaml(self, request: HttpRequest, questions: QuerySet[Question]) -> HttpResponse:
        return self._export(request, questions, "yaml")

    @admin.action(description=_("Export to CSV"))
    def export_csv(self, request: HttpRequest, questions: QuerySet[Question]) -> HttpResponse:
        return self._export(request, questions, "csv")

    @admin.action(description=_("Export to Moodle XML"))
    def export_xml(self, request: HttpRequest, questions: QuerySet[Question]) -> HttpResponse:
        return self._export(request, questions, "xml")

    @admin.action(description=_("Export to GIFT"))
    def export_gift(self, request: HttpRequest, questions: QuerySet[Question]) -> HttpResponse:
        return self._export(request, questions, "gift")

    def _export(self, request: HttpRequest, questions: QuerySet[Question], fmt: str) -> HttpResponse:
        export = questions_export(questions.prefetch_related("topics", "rubric", "misconceptions"), fmt)
        for slug, reason in export.skipped:
            self.message_user(
                request,
                _("%(slug)s not exported: %(reason)s") % {"slug": slug, "reason": reason},
                messages.WARNING,
            )
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response

    def _status_set(self, request: HttpRequest, questions: list[Question], status: str) -> None:
        changed = [q for q in questions if q.status != status]
        for question in changed:  # saved one by one, so that each change is in the history
            question.status = status
            question.save(update_fields=["status", "updated_at"])
        if changed:
            label = str(Question.Status(status).label).lower()  # "now retired", mid-sentence
            self.message_user(
                request,
                ngettext(
                    "%(n)d question is now %(status)s.", "%(n)d questions are now %(status)s.", len(changed)
                )
                % {"n": len(changed), "status": label},
                messages.SUCCESS,
            )
