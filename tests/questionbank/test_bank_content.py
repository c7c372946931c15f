"""The curated bank itself: coverage of the seed manifest and the shape of every rubric."""

from __future__ import annotations

import csv
import re

from django.db.models import Count, Min

from interviews.grading.adversarial import read_paraphrases, read_translations
from interviews.grading.clauses import units
from interviews.grading.misconceptions import states
from questionbank.bank_files import QuestionSpec, read_bank
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


def _right_texts(
    question: QuestionSpec, paraphrases: dict[str, str], translations: dict[str, tuple[str, str]]
) -> list[tuple[str, str]]:
    """(language, text) of the answers known to be right: the reference in both languages, and the
    hand-written paraphrase and translation pair where tests/data has them."""
    texts = [("zh", question.reference_answer), ("en", question.reference_answer_en)]
    if question.slug in paraphrases:
        texts.append(("zh", paraphrases[question.slug]))
    if question.slug in translations:
        texts += [("zh", translations[question.slug][0]), ("en", translations[question.slug][1])]
    return texts


def test_no_misconception_phrasing_is_stated_by_a_right_answer_to_its_question() -> None:
    """A phrasing that a correct answer states would cost that answer its point: each must say the wrong
    claim, and no right answer to the question may hold it (exactly or in the judge's loose match)."""
    paraphrases, translations = read_paraphrases(), read_translations()
    stated = []
    for question in read_bank().questions:
        for language, text in _right_texts(question, paraphrases, translations):
            for misconception in question.misconceptions:
                phrasings = misconception.phrasings if language == "zh" else misconception.phrasings_en
                for unit in units(text):
                    stated += [
                        f"{question.slug} ({language}): {p!r} in {unit.text!r}"
                        for p in phrasings
                        if states(unit.text, (p,))
                    ]

    assert sorted(set(stated)) == []
