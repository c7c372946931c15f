from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from questionbank.bank_files import SUGGESTED_SECONDS

_HEADING_MARKS = re.compile(r"^#{1,6}\s+")


def _shortened(text: str, limit: int) -> str:
    """At most `limit` characters, "…" at the end when cut; never cut inside a `$…$` formula (it would show
    as raw TeX): the cut moves before the formula's opening `$`."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if cut.count("$") % 2:
        cut = cut[: cut.rindex("$")]
    return cut.rstrip() + "…"


def _viewer_reads_english() -> bool:
    return (get_language() or "").startswith("en")


class Topic(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if _viewer_reads_english() else self.name_zh


class QuestionQuerySet(models.QuerySet["Question"]):
    def with_rubric_total(self) -> QuestionQuerySet:
        """Annotate `rubric_points`, the rubric total in SQL, for sorting; `rubric_total` reads it."""
        # A subquery, not Sum("rubric__points"): a filter on topics joins another many-valued relation.
        totals = (
            RubricCriterion.objects.filter(question=OuterRef("pk"))
            .values("question")
            .annotate(total=Sum("points"))
            .values("total")
        )
        return self.annotate(rubric_points=Subquery(totals, output_field=models.IntegerField()))


class Question(models.Model):
    class Difficulty(models.TextChoices):
        EASY = "easy", _("Easy")
        MEDIUM = "medium", _("Medium")
        HARD = "hard", _("Hard")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    class Language(models.TextChoices):
        ZH = "zh", "中文"
        EN = "en", "English"

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    prompt = models.TextField(_("question"))
    prompt_en = models.TextField(_("question (English)"), blank=True)
    topics = models.ManyToManyField(Topic, related_name="questions", verbose_name=_("topic"))
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty, default=Difficulty.MEDIUM
    )
    language = models.CharField(_("language"), max_length=5, choices=Language, default=Language.ZH)
    suggested_seconds = models.PositiveIntegerField(
        _("suggested time (seconds)"),
        default=300,
        validators=[MinValueValidator(SUGGESTED_SECONDS[0]), MaxValueValidator(SUGGESTED_SECONDS[1])],
    )
    reference_answer = models.TextField(_("reference answer"))
    reference_answer_en = models.TextField(_("reference answer (English)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PUBLISHED)
    # Set on an interviewer's custom question: a draft only its owner's sessions use,
    # until an admin publishes it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="own_questions",
        verbose_name=_("owner"),
    )
    sources = models.JSONField(_("sources"), default=list, blank=True, help_text=_("Seed manifest ids"))
    sources_note = models.CharField(
        _("why no sources"), max_length=200, blank=True, help_text=_("Required when a question has no seed.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The fingerprint of the question as the bank files last wrote it: a different fingerprint of its content
    # now means someone edited it since, and `load_question_bank` leaves it alone.
    loaded_fingerprint = models.CharField(
        _("fingerprint when loaded"), max_length=64, blank=True, editable=False
    )

    history = HistoricalRecords(excluded_fields=["loaded_fingerprint"])

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(suggested_seconds__gt=0), name="question_suggested_seconds_positive"
            ),
            models.CheckConstraint(condition=~Q(prompt=""), name="question_prompt_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shows_english(self) -> bool:
        """Whether the viewer reads the English version: an English interface and a question that has one."""
        return bool(self.prompt_en) and _viewer_reads_english()

    @property
    def prompt_shown(self) -> str:
        return self.prompt_en if self.shows_english else self.prompt

    @property
    def reference_shown(self) -> str:
        return self.reference_answer_en if self.shows_english else self.reference_answer

    @property
    def prompt_other(self) -> str:
        """The prompt in the version the viewer does not read ("" without an English version)."""
        if not self.prompt_en:
            return ""
        return self.prompt if self.shows_english else self.prompt_en

    @property
    def reference_other(self) -> str:
        if not self.reference_answer_en:
            return ""
        return self.reference_answer if self.shows_english else self.reference_answer_en

    @property
    def title(self) -> str:
        """The prompt's first line in the viewer's language, for lists; a Markdown heading without its #."""
        prompt = self.prompt_shown.strip()
        first = _HEADING_MARKS.sub("", prompt.splitlines()[0]) if prompt else ""
        return _shortened(first or self.slug, 120)

    @property
    def short_title(self) -> str:
        """The title in at most 40 characters, for a line that names the question beside something else."""
        return _shortened(self.title, 40)

    @property
    def rubric_total(self) -> int:
        """The points the rubric awards: from `with_rubric_total()` or the (prefetched) rubric."""
        annotated = getattr(self, "rubric_points", None)
        if annotated is not None:
            return int(annotated)
        return sum(criterion.points for criterion in self.rubric.all())


class RubricCriterion(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, verbose_name=_("question"), related_name="rubric"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("key point"))
    description_en = models.TextField(_("key point (English)"), blank=True)
    points = models.PositiveSmallIntegerField(_("points"), validators=[MinValueValidator(1)])
    terms = models.JSONField(_("accepted terms"), default=list, blank=True)
    terms_en = models.JSONField(_("accepted terms (English)"), default=list, blank=True)
    # Drafted by an import from the answer's own bullet points: an admin accepts (or rewrites) it.
    proposed = models.BooleanField(_("proposed, not yet accepted"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = _("rubric point")
        verbose_name_plural = _("rubric points")
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="rubric_points_positive"),
            models.UniqueConstraint(fields=["question", "order"], name="rubric_order_unique_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.points})"

    @property
    def description_shown(self) -> str:
        return self.description_en if self.description_en and _viewer_reads_english() else self.description


class Misconception(models.Model):
    """A wrong claim candidates make on a question, the phrasings that state it, the point it contradicts."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, verbose_name=_("question"), related_name="misconceptions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    claim = models.TextField(_("wrong claim"))
    claim_en = models.TextField(_("wrong claim (English)"), blank=True)
    phrasings = models.JSONField(_("phrasings"), default=list)
    phrasings_en = models.JSONField(_("phrasings (English)"), default=list, blank=True)
    criterion = models.ForeignKey(
        RubricCriterion,
        on_delete=models.CASCADE,
        related_name="misconceptions",
        verbose_name=_("contradicts rubric point"),
        help_text=_("One of this question's saved rubric points (a point added just now, once saved)."),
    )
    proposed = models.BooleanField(_("proposed, not yet accepted"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = _("misconception")
        verbose_name_plural = _("misconceptions")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "order"], name="misconception_order_unique_per_question"
            ),
        ]

    def __str__(self) -> str:
        return self.claim


def rubric_fingerprint(
    criteria: Sequence[RubricCriterion], misconceptions: Sequence[Misconception] = ()
) -> str:
    """A short hash of what a judge grades against: grades made under another rubric are told apart by it."""
    payload: list[list[tuple[object, ...]]] = [
        [(c.pk, c.description, c.points, list(c.terms)) for c in criteria],
        [(m.criterion_id, m.claim, list(m.phrasings)) for m in misconceptions],
    ]
    english: list[list[tuple[object, ...]]] = [
        [(c.description_en, list(c.terms_en)) for c in criteria],
        [(m.claim_en, list(m.phrasings_en)) for m in misconceptions],
    ]
    if any(any(item) for part in english for item in part):
        # The English version is graded against too; a Chinese-only rubric keeps the fingerprint it had.
        payload += english
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()[:16]
