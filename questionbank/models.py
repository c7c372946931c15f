from __future__ import annotations

import hashlib
import json

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Topic(models.Model):
    slug = models.SlugField(unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=80)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


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

    slug = models.SlugField(max_length=120, unique=True)
    prompt = models.TextField(_("question"))
    topics = models.ManyToManyField(Topic, related_name="questions", verbose_name=_("topic"))
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty, default=Difficulty.MEDIUM
    )
    language = models.CharField(_("language"), max_length=5, choices=Language, default=Language.ZH)
    suggested_seconds = models.PositiveIntegerField(_("suggested time (seconds)"), default=300)
    reference_answer = models.TextField(_("reference answer"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PUBLISHED)
    sources = models.JSONField(_("sources"), default=list, blank=True, help_text=_("Seed manifest ids"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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
    def title(self) -> str:
        """The prompt's first line, for lists."""
        first = self.prompt.strip().splitlines()[0] if self.prompt.strip() else self.slug
        return first if len(first) <= 120 else first[:119] + "…"


class RubricCriterion(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="rubric")
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(_("key point"))
    points = models.PositiveSmallIntegerField(_("points"))
    terms = models.JSONField(_("accepted terms"), default=list, blank=True)

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


def rubric_fingerprint(criteria: list[RubricCriterion]) -> str:
    """A short hash of a rubric's content: grades made under another rubric are told apart by it."""
    payload = [(c.id, c.description, c.points, list(c.terms)) for c in criteria]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()[:16]
