"""Writes to the question bank: loading the bank files, and exporting the bank back to them.

The files seed the bank, and admins edit it afterwards. Each question remembers the fingerprint of what the
files last wrote (`Question.loaded_fingerprint`); a question whose content no longer has that fingerprint was
edited since, and loading leaves it alone (unless forced), so that no admin edit is ever silently reverted.
Exporting writes the database in the same format, so edits can go back into the files; export then load
changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from questionbank.bank_files import (
    DATA_DIR,
    Bank,
    CriterionSpec,
    MisconceptionSpec,
    QuestionSpec,
    TopicSpec,
    question_file_order,
    read_bank,
    write_question_files,
    write_topics,
)
from questionbank.models import Misconception, Question, RubricCriterion, Topic

QUESTION_FIELDS = (
    "prompt",
    "prompt_en",
    "difficulty",
    "language",
    "suggested_seconds",
    "reference_answer",
    "reference_answer_en",
    "status",
    "sources",
    "sources_note",
)
CRITERION_FIELDS = ("description", "description_en", "points", "terms", "terms_en")
MISCONCEPTION_FIELDS = ("claim", "claim_en", "phrasings", "phrasings_en")


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    # Edited in the database since the files last wrote them: left alone, or overwritten with force.
    kept_edits: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)
    unchanged: int = 0
    topics: int = 0
    rubric_points: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.overwritten)

    @property
    def questions(self) -> int:
        return (
            len(self.created)
            + len(self.updated)
            + len(self.kept_edits)
            + len(self.overwritten)
            + self.unchanged
        )


def content_fingerprint(spec: QuestionSpec, topic_slugs: Iterable[str]) -> str:
    """What a question says, as one hash: the same for a file's spec and the row it was loaded into."""
    payload = spec.model_dump(exclude={"topics"}) | {"topics": sorted(topic_slugs)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def question_spec(question: Question) -> QuestionSpec:
    """The question as the bank files write it (rubric and misconceptions prefetched, or queried here).

    Built without validation, so that a fingerprint can be taken of any row; export validates it.
    """
    criteria = list(question.rubric.all())
    position = {c.pk: number for number, c in enumerate(criteria, 1)}
    return QuestionSpec.model_construct(
        slug=question.slug,
        sources=list(question.sources),
        topics=[],
        **{name: getattr(question, name) for name in QUESTION_FIELDS if name != "sources"},
        rubric=[
            CriterionSpec.model_construct(**{name: getattr(c, name) for name in CRITERION_FIELDS})
            for c in criteria
        ],
        misconceptions=[
            MisconceptionSpec.model_construct(
                **{name: getattr(m, name) for name in MISCONCEPTION_FIELDS},
                contradicts=position.get(m.criterion_id, 0),
            )
            for m in question.misconceptions.all()
        ],
    )


def _row_fingerprint(question: Question) -> str:
    return content_fingerprint(question_spec(question), (t.slug for t in question.topics.all()))


@transaction.atomic
def bank_load(*, data_dir: Path = DATA_DIR, force: bool = False) -> LoadReport:
    """Load the bank files: new questions are created, unedited ones brought up to date, edited ones kept.

    Everything is read and validated first and written in one transaction, so a bad file changes nothing.
    `force` overwrites questions edited since the last load (and says which).
    """
    bank = read_bank(data_dir)
    report = LoadReport(topics=len(bank.topics))
    topics = _topics_sync(bank)
    existing = {q.slug: q for q in Question.objects.prefetch_related("topics", "rubric", "misconceptions")}
    for spec in bank.questions:
        report.rubric_points += len(spec.rubric)
        topic_slugs = bank.question_topics[spec.slug]
        wanted_fingerprint = content_fingerprint(spec, topic_slugs)
        question = existing.get(spec.slug)
        if question is None:
            question = Question.objects.create(
                slug=spec.slug, loaded_fingerprint=wanted_fingerprint, **_question_fields(spec)
            )
            question_content_write(question, spec, [topics[slug] for slug in topic_slugs])
            report.created.append(spec.slug)
            continue
        current_fingerprint = _row_fingerprint(question)
        if current_fingerprint == wanted_fingerprint:
            if question.loaded_fingerprint != wanted_fingerprint:
                # The row already says what the file says (an export went back into the files).
                Question.objects.filter(pk=question.pk).update(loaded_fingerprint=wanted_fingerprint)
            report.unchanged += 1
            continue
        edited = question.loaded_fingerprint != current_fingerprint
        if edited and not force:
            report.kept_edits.append(spec.slug)
            continue
        question_content_write(question, spec, [topics[slug] for slug in topic_slugs])
        Question.objects.filter(pk=question.pk).update(loaded_fingerprint=wanted_fingerprint)
        (report.overwritten if edited else report.updated).append(spec.slug)
    return report


def bank_export(*, data_dir: Path = DATA_DIR) -> int:
    """Write every question to the bank files, in their format; returns how many questions were written.

    A question stays in the file and at the place it had; a new one goes to the end of its first topic's file.
    """
    questions = list(Question.objects.prefetch_related("topics", "rubric", "misconceptions").order_by("slug"))
    placed = question_file_order(data_dir)
    by_file: dict[str, list[QuestionSpec]] = {}
    for question in sorted(questions, key=lambda q: placed.get(q.slug, ("", len(placed)))[1]):
        topic_slugs = [t.slug for t in sorted(question.topics.all(), key=lambda t: (t.order, t.slug))]
        file_topic = placed[question.slug][0] if question.slug in placed else topic_slugs[0]
        extras = [slug for slug in topic_slugs if slug != file_topic]
        spec = QuestionSpec.model_validate(question_spec(question).model_dump() | {"topics": extras})
        by_file.setdefault(file_topic, []).append(spec)
    topics = [TopicSpec(slug=t.slug, name_zh=t.name_zh, name_en=t.name_en) for t in Topic.objects.all()]
    write_topics(data_dir, topics)
    write_question_files(data_dir, by_file)
    return len(questions)


def _topics_sync(bank: Bank) -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for order, spec in enumerate(bank.topics):
        topic, _ = Topic.objects.get_or_create(slug=spec.slug, defaults={"name_zh": spec.name_zh})
        wanted = {"name_zh": spec.name_zh, "name_en": spec.name_en, "order": order}
        if any(getattr(topic, k) != v for k, v in wanted.items()):
            Topic.objects.filter(pk=topic.pk).update(**wanted)
        topics[spec.slug] = topic
    return topics


def _question_fields(spec: QuestionSpec) -> dict[str, object]:
    return {name: getattr(spec, name) for name in QUESTION_FIELDS}


def question_content_write(question: Question, spec: QuestionSpec, topics: list[Topic]) -> None:
    """Make the row say what the spec says: fields, topics, rubric (in place, by order), misconceptions."""
    wanted = _question_fields(spec)
    dirty = [name for name, value in wanted.items() if getattr(question, name) != value]
    for name in dirty:
        setattr(question, name, wanted[name])
    if dirty:
        question.save(update_fields=[*dirty, "updated_at"])
    if {t.pk for t in question.topics.all()} != {t.pk for t in topics}:
        question.topics.set(topics)
    criteria = rubric_sync(question, list(question.rubric.all()), spec.rubric)
    Misconception.objects.filter(question=question).delete()
    Misconception.objects.bulk_create(
        Misconception(
            question=question,
            order=order,
            criterion=criteria[m.contradicts - 1],
            **{name: getattr(m, name) for name in MISCONCEPTION_FIELDS},
        )
        for order, m in enumerate(spec.misconceptions)
    )


def rubric_sync(
    question: Question, current: list[RubricCriterion], specs: list[CriterionSpec]
) -> list[RubricCriterion]:
    """Make the question's rubric equal the spec's, point by point, keeping the rows (and so their grades'
    fingerprints) of points that did not change; returns the rubric in order."""
    by_order = {c.order: c for c in current}
    result = []
    for order, spec in enumerate(specs):
        wanted = {name: getattr(spec, name) for name in CRITERION_FIELDS}
        criterion = by_order.pop(order, None)
        if criterion is None:
            criterion = RubricCriterion.objects.create(question=question, order=order, **wanted)
        elif any(getattr(criterion, k) != v for k, v in wanted.items()):
            for name, value in wanted.items():
                setattr(criterion, name, value)
            criterion.save(update_fields=list(wanted))
        result.append(criterion)
    if by_order:
        RubricCriterion.objects.filter(pk__in=[c.pk for c in by_order.values()]).delete()
    return result
