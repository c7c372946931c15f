"""Exporting questions: the bank's YAML (written by bank_files), CSV, Moodle XML and GIFT."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from questionbank.bank_files import QuestionSpec, write_question_files
from questionbank.importers.gift import write_gift
from questionbank.importers.moodle_xml import write_moodle_xml
from questionbank.importers.tabular import write_csv
from questionbank.importers.types import Draft, DraftMisconception, DraftPoint
from questionbank.models import Question
from questionbank.services import question_spec

FORMATS = ("yaml", "csv", "xml", "gift")


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes
    content_type: str
    # Questions the bank's YAML refused (an incomplete draft), with the reason.
    skipped: tuple[tuple[str, str], ...] = ()


def question_draft(question: Question) -> Draft:
    """A question (rubric, misconceptions and topics prefetched or queried) in the importers' shape."""
    criteria = list(question.rubric.all())
    position = {c.pk: number for number, c in enumerate(criteria, 1)}
    return Draft(
        prompt=question.prompt,
        reference_answer=question.reference_answer,
        line=0,
        slug=question.slug,
        topics=[t.slug for t in sorted(question.topics.all(), key=lambda t: (t.order, t.slug))],
        difficulty=question.difficulty,
        language=question.language,
        suggested_seconds=question.suggested_seconds,
        rubric=[DraftPoint(c.description, c.points, list(c.terms)) for c in criteria],
        misconceptions=[
            DraftMisconception(m.claim, list(m.phrasings), position.get(m.criterion_id, 1))
            for m in question.misconceptions.all()
        ],
        sources=list(question.sources),
        status=question.status,
    )


def questions_export(questions: Iterable[Question], fmt: str) -> Export:
    questions = list(questions)
    drafts = [question_draft(q) for q in questions]
    if fmt == "csv":
        return Export("questions.csv", write_csv(drafts).encode(), "text/csv; charset=utf-8")
    if fmt == "xml":
        return Export("questions.xml", write_moodle_xml(drafts).encode(), "application/xml; charset=utf-8")
    if fmt == "gift":
        return Export("questions.gift.txt", write_gift(drafts).encode(), "text/plain; charset=utf-8")
    return _yaml_export(questions)


def _yaml_export(questions: list[Question]) -> Export:
    """One bank file per topic (the question's first): the file itself, or a zip of several."""
    by_topic: dict[str, list[QuestionSpec]] = {}
    skipped = []
    for question in questions:
        topics = [t.slug for t in sorted(question.topics.all(), key=lambda t: (t.order, t.slug))]
        if not topics:
            skipped.append((question.slug, "no topic"))
            continue
        try:
            spec = QuestionSpec.model_validate(question_spec(question).model_dump() | {"topics": topics[1:]})
        except ValidationError as exc:
            skipped.append((question.slug, "; ".join(e["msg"] for e in exc.errors())))
            continue
        by_topic.setdefault(topics[0], []).append(spec)
    with tempfile.TemporaryDirectory() as tmp:
        write_question_files(Path(tmp), by_topic)
        files = sorted(Path(tmp).glob("*.yaml"))
        if len(files) == 1:
            return Export(files[0].name, files[0].read_bytes(), "application/yaml", tuple(skipped))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, path.name)
        return Export("questions.zip", buffer.getvalue(), "application/zip", tuple(skipped))
