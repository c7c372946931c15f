"""Writes to the question bank."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from questionbank.bank_files import DATA_DIR, CriterionSpec, QuestionSpec, read_bank
from questionbank.models import Question, RubricCriterion, Topic


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    topics: int = 0
    rubric_points: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


QUESTION_FIELDS = (
    "prompt",
    "difficulty",
    "language",
    "suggested_seconds",
    "reference_answer",
    "status",
    "sources",
)


@transaction.atomic
def bank_load(*, data_dir: Path = DATA_DIR) -> LoadReport:
    """Load the bank files idempotently: keyed by slug, rows are written only where the files differ.

    Everything is read and validated first and written in one transaction, so a bad file changes nothing.
    """
    bank = read_bank(data_dir)
    report = LoadReport(topics=len(bank.topics))
    topics: dict[str, Topic] = {}
    for order, spec in enumerate(bank.topics):
        topic, _ = Topic.objects.get_or_create(slug=spec.slug, defaults={"name_zh": spec.name_zh})
        wanted = {"name_zh": spec.name_zh, "name_en": spec.name_en, "order": order}
        if any(getattr(topic, k) != v for k, v in wanted.items()):
            Topic.objects.filter(pk=topic.pk).update(**wanted)
        topics[spec.slug] = topic

    existing = {q.slug: q for q in Question.objects.prefetch_related("topics", "rubric")}
    for spec in bank.questions:
        question = existing.get(spec.slug)
        wanted_topics = [topics[slug] for slug in bank.question_topics[spec.slug]]
        report.rubric_points += len(spec.rubric)
        if question is None:
            question = Question.objects.create(slug=spec.slug, **_question_fields(spec))
            question.topics.set(wanted_topics)
            _rubric_sync(question, [], spec.rubric)
            report.created.append(spec.slug)
            continue
        changed = _question_update(question, spec)
        if {t.pk for t in question.topics.all()} != {t.pk for t in wanted_topics}:
            question.topics.set(wanted_topics)
            changed = True
        changed |= _rubric_sync(question, list(question.rubric.all()), spec.rubric)
        if changed:
            report.updated.append(spec.slug)
        else:
            report.unchanged += 1
    return report


def _question_fields(spec: QuestionSpec) -> dict[str, object]:
    return {name: getattr(spec, name) for name in QUESTION_FIELDS}


def _question_update(question: Question, spec: QuestionSpec) -> bool:
    wanted = _question_fields(spec)
    dirty = [name for name, value in wanted.items() if getattr(question, name) != value]
    for name in dirty:
        setattr(question, name, wanted[name])
    if dirty:
        question.save(update_fields=[*dirty, "updated_at"])
    return bool(dirty)


def _rubric_sync(question: Question, current: list[RubricCriterion], specs: list[CriterionSpec]) -> bool:
    """Make the question's rubric equal the file's, criterion by criterion; True if anything changed."""
    changed = False
    by_order = {c.order: c for c in current}
    for order, spec in enumerate(specs):
        wanted = {"description": spec.description, "points": spec.points, "terms": spec.terms}
        criterion = by_order.pop(order, None)
        if criterion is None:
            RubricCriterion.objects.create(question=question, order=order, **wanted)
            changed = True
        elif any(getattr(criterion, k) != v for k, v in wanted.items()):
            RubricCriterion.objects.filter(pk=criterion.pk).update(**wanted)
            changed = True
    if by_order:
        RubricCriterion.objects.filter(pk__in=[c.pk for c in by_order.values()]).delete()
        changed = True
    return changed
