"""The curated bank itself: coverage of the seed manifest and the shape of every rubric."""

from __future__ import annotations

import csv

from django.db.models import Count, Min

from questionbank.bank_files import read_bank
from questionbank.models import Question
from tests.conftest import shared_path


def test_every_manifest_id_is_a_source_of_some_question() -> None:
    with shared_path("seeds/MANIFEST.tsv").open(encoding="utf-8", newline="") as manifest:
        ids = {row["id"] for row in csv.DictReader(manifest, delimiter="\t")}
    sources = {source for question in read_bank().questions for source in question.sources}

    assert ids, "the manifest lists no ids"
    assert sorted(ids - sources) == []
    assert sorted(sources - ids) == [], "sources that are not manifest ids"


def test_every_question_has_three_to_eight_positive_rubric_points(bank) -> None:
    shapes = Question.objects.annotate(n=Count("rubric"), lowest=Min("rubric__points"))

    assert shapes.exists()
    bad = [(q.slug, q.n, q.lowest) for q in shapes if not (3 <= q.n <= 8 and q.lowest > 0)]
    assert bad == []
