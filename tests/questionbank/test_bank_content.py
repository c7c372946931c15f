"""The curated bank itself: coverage of the seed manifest and the shape of every rubric."""

from __future__ import annotations

import csv
import re

from django.db.models import Count, Min

from questionbank.bank_files import read_bank
from questionbank.glossary import misspellings
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


def test_the_bank_spells_each_glossary_term_one_way() -> None:
    bank = read_bank()
    texts = {
        q.slug: "\n".join(
            [q.prompt, q.prompt_en, q.reference_answer, q.reference_answer_en]
            + [t for c in q.rubric for t in (c.description, c.description_en, *c.terms, *c.terms_en)]
            + [t for m in q.misconceptions for t in (m.claim, m.claim_en, *m.phrasings, *m.phrasings_en)]
        )
        for q in bank.questions
    }

    wrong = {slug: misspellings(text) for slug, text in texts.items() if misspellings(text)}

    assert wrong == {}


def test_every_question_is_in_chinese_and_english() -> None:
    assert [q.slug for q in read_bank().questions if not q.is_bilingual] == []


# A fast typist with a Chinese input method writes about 90 characters a minute of prose; formulas and code
# are not counted (a candidate summarises them), so a full-marks answer fits the suggested time.
CHINESE_CHARACTERS_PER_MINUTE = 90
_NOT_PROSE = re.compile(r"```.*?```|\$\$.*?\$\$|\$[^$\n]*\$", re.DOTALL)


def test_each_reference_can_be_typed_in_the_suggested_time() -> None:
    too_long = {}
    for q in read_bank().questions:
        prose = _NOT_PROSE.sub("", q.reference_answer)
        minutes = sum("\u4e00" <= c <= "\u9fff" for c in prose) / CHINESE_CHARACTERS_PER_MINUTE
        if minutes * 60 > q.suggested_seconds:
            too_long[q.slug] = (q.suggested_seconds, round(minutes * 60))

    assert too_long == {}
