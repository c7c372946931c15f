"""Adversarial answers for the offline judge, and the thresholds it must hold on them.

A judge that counts shared words gives marks to a bare list of terms, to the reference with its facts
swapped or negated, to shuffled words and to padding. These generators build such answers for every bank
question (plus hand-written paraphrases and English translations from tests/data/) so that
`evaluate_judge --adversarial` and a test can show, per kind, whether the judge grades meaning. Everything is
deterministic (seeded per question and kind) so a rerun measures the judge, not the dice.

The rewrites themselves (swap and negation tables, shuffling, padding) are in rewrites.py.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

import yaml

from interviews.grading import rewrites
from interviews.grading.bank_input import QuestionLike, judge_input
from interviews.grading.types import Flag, GradeResult, JudgeInput

DATA_DIR = Path(__file__).resolve().parents[2] / "tests" / "data"
SEED = 20260

# "chinese" is the Chinese original of each English translation: the English score is measured against it.
KINDS: tuple[str, ...] = (
    "reference",
    "keywords",
    "swapped",
    "negated",
    "negated_once",
    "half_wrong",
    "numbers",
    "shuffled",
    "shuffled_in_sentences",
    "filler",
    "field_filler",
    "other",
    "paraphrase",
    "chinese",
    "english",
)
CHECKS: dict[str, str] = {
    "reference": "the reference answer earns (nearly) full marks",
    "keywords": "a bare list of the accepted terms, no sentences, earns little",
    "swapped": "the reference with its facts swapped to wrong ones earns little",
    "negated": "the reference with every sentence negated earns little",
    "negated_once": "the reference with one negation per sentence, reaching to its full stop, earns little",
    "half_wrong": "half right, half swapped: at most about half the marks",
    "numbers": "the reference with every number doubled (6ND as 12ND, 16 bytes as 32) earns less",
    "shuffled": "the reference's words in random order earn nothing",
    "shuffled_in_sentences": "each sentence's words in random order, full stops kept, earn nothing",
    "filler": "unrelated padding (3x the reference) gains nothing and is flagged",
    "field_filler": "padding from the same field (other topics' references, 3x) gains nothing and is flagged",
    "other": "another topic's reference earns nothing and is flagged off topic",
    "paraphrase": "a correct answer in other words, none of the accepted terms, earns most marks",
    "chinese": "the Chinese original of an English translation (the base of the english kind)",
    "english": "the English translation of a good Chinese answer scores about as well as the Chinese",
}


class JudgeLike(Protocol):
    def grade(self, judge_input: JudgeInput) -> GradeResult: ...


@dataclass(frozen=True)
class Case:
    """One adversarial answer to one bank question, and what its grade is meant to show."""

    kind: str
    slug: str
    answer: str
    checks: str
    language: str = "zh"


# ---------------------------------------------------------------------------------------------------------
# Cases


def _rng(slug: str, kind: str) -> random.Random:
    return random.Random(f"{SEED}:{slug}:{kind}")


def _other_topics(
    question: QuestionLike, questions: Sequence[QuestionLike], topics_of: Mapping[str, Collection[str]]
) -> list[QuestionLike]:
    """The questions sharing no topic with this one, by slug."""
    topics = set(topics_of.get(question.slug, ()))
    others = (q for q in questions if q.slug != question.slug and not topics & set(topics_of.get(q.slug, ())))
    return sorted(others, key=lambda q: q.slug)


def other_question(
    question: QuestionLike, questions: Sequence[QuestionLike], topics_of: Mapping[str, Collection[str]]
) -> str:
    """The slug of a question that shares no topic with this one, picked by a seeded draw (same pick on every
    run). A question of a neighbouring topic is no test of "off topic": the transformer overview's rubric asks
    for position encodings, which the position-encoding question's reference rightly meets."""
    candidates = [q.slug for q in _other_topics(question, questions, topics_of)]
    if not candidates:
        raise ValueError(f"{question.slug}: no question of another topic to take a reference from")
    return _rng(question.slug, "other").choice(candidates)


def field_filler(
    question: QuestionLike, questions: Sequence[QuestionLike], topics_of: Mapping[str, Collection[str]]
) -> str:
    """Whole references of questions sharing no topic with this one, in a seeded order, until they are three
    times as long as its reference: padding an encoder finds near the question, being of the same field."""
    others = _other_topics(question, questions, topics_of)
    _rng(question.slug, "field_filler").shuffle(others)
    taken: list[str] = []
    for other in others:
        if sum(map(len, taken)) >= 3 * len(question.reference_answer):
            break
        taken.append(other.reference_answer)
    return "\n\n".join(taken)


def build_cases(
    questions: Sequence[QuestionLike],
    paraphrases: Mapping[str, str],
    translations: Mapping[str, tuple[str, str]],
    *,
    topics_of: Mapping[str, Collection[str]] | None = None,
    kinds: Iterable[str] = KINDS,
) -> list[Case]:
    """Every kind of answer for every question (paraphrase, chinese, english where tests/data has one).

    `topics_of` maps a slug to its topics so that "other" takes a reference from a question sharing none;
    without it any other question will do. Unknown kinds raise ValueError.
    """
    wanted = list(kinds)
    unknown = [k for k in wanted if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown kinds {unknown}; known: {', '.join(KINDS)}")
    topics = topics_of or {}
    by_slug = {q.slug: q for q in questions}
    cases: list[Case] = []
    for question in questions:
        for kind in KINDS:
            if kind in wanted:
                answer = _answer(kind, question, by_slug, paraphrases, translations, topics)
                if answer is not None:
                    language = "en" if kind == "english" else question.language
                    cases.append(Case(kind, question.slug, answer, CHECKS[kind], language))
    return cases


def _answer(
    kind: str,
    question: QuestionLike,
    by_slug: Mapping[str, QuestionLike],
    paraphrases: Mapping[str, str],
    translations: Mapping[str, tuple[str, str]],
    topics_of: Mapping[str, Collection[str]],
) -> str | None:
    """The answer of one kind to one question; None where tests/data has none for it, or where the reference
    has no number to change."""
    slug, reference = question.slug, question.reference_answer
    if kind == "reference":
        return reference
    if kind == "keywords":
        return rewrites.keyword_list((t for c in question.rubric for t in c.terms), question.language)
    if kind in REWRITTEN_KINDS:
        return rewritten(kind, reference, _rng(slug, kind), question.language)
    if kind == "field_filler":
        return reference + "\n\n" + field_filler(question, list(by_slug.values()), topics_of)
    if kind == "other":
        return by_slug[other_question(question, list(by_slug.values()), topics_of)].reference_answer
    if kind == "paraphrase":
        return paraphrases.get(slug)
    if slug not in translations:
        return None
    return translations[slug][0] if kind == "chinese" else translations[slug][1]


# The kinds made from the reference alone, (reference, rng, language) -> answer: the random ones draw
# from rng; "numbers" gives None for a reference without a number to change.
_REWRITES: dict[str, Callable[[str, random.Random, str], str | None]] = {
    "swapped": lambda text, _rng, _language: rewrites.swapped(text),
    "negated": lambda text, _rng, _language: rewrites.negated(text),
    "negated_once": lambda text, _rng, _language: rewrites.negated_once(text),
    "half_wrong": lambda text, _rng, _language: rewrites.half_wrong(text),
    "numbers": lambda text, _rng, _language: rewrites.numbers_changed(text),
    "shuffled": lambda text, rng, _language: rewrites.shuffled(text, rng),
    "shuffled_in_sentences": lambda text, rng, _language: rewrites.shuffled_in_sentences(text, rng),
    "filler": rewrites.padded,
}
REWRITTEN_KINDS = frozenset(_REWRITES)


def rewritten(kind: str, reference: str, rng: random.Random, language: str = "zh") -> str | None:
    """The answer of a kind made from the reference alone (REWRITTEN_KINDS)."""
    return _REWRITES[kind](reference, rng, language)


def needed_kinds(kinds: Iterable[str]) -> list[str]:
    """The kinds asked for (all if none) plus those they are measured against: filler needs reference,
    english needs chinese. Blank names are ignored; unknown ones are kept for build_cases to refuse."""
    wanted = {k.strip() for k in kinds if k.strip()} or set(KINDS)
    if wanted & {"filler", "field_filler"}:
        wanted.add("reference")
    if "english" in wanted:
        wanted.add("chinese")
    return [k for k in KINDS if k in wanted] + sorted(wanted - set(KINDS))


# ---------------------------------------------------------------------------------------------------------
# Data files (tests/data/): hand-written answers


def _read_list(path: Path, keys: tuple[str, ...]) -> list[dict[str, str]]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(rows, list):
        raise ValueError(f"{path.name}: expected a list of {{{', '.join(keys)}}}")
    out = []
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict) or set(row) != set(keys) or not all(str(row[k]).strip() for k in keys):
            raise ValueError(f"{path.name}, item {number}: expected exactly the keys {', '.join(keys)}")
        out.append({k: str(row[k]).strip() for k in keys})
    slugs = [row["slug"] for row in out]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise ValueError(f"{path.name}: slugs given twice: {duplicates}")
    return out


def read_paraphrases(path: Path = DATA_DIR / "paraphrases.yaml") -> dict[str, str]:
    """slug → a correct answer in the candidate's own words, without the question's accepted terms."""
    return {row["slug"]: row["answer"] for row in _read_list(path, ("slug", "answer"))}


def read_translations(path: Path = DATA_DIR / "translations.yaml") -> dict[str, tuple[str, str]]:
    """slug → (a good Chinese answer, its English translation)."""
    return {row["slug"]: (row["zh"], row["en"]) for row in _read_list(path, ("slug", "zh", "en"))}


# ---------------------------------------------------------------------------------------------------------
# Grading and the report


@dataclass(frozen=True)
class Graded:
    case: Case
    percent: float  # of the question's maximum
    flags: tuple[str, ...]
    judge_version: str = ""


def grade_cases(cases: Iterable[Case], questions: Sequence[QuestionLike], judge: JudgeLike) -> list[Graded]:
    """Each case graded by `judge` against its question's rubric."""
    by_slug = {q.slug: q for q in questions}
    graded = []
    for case in cases:
        result = judge.grade(judge_input(by_slug[case.slug], case.answer))
        version = result.judge_version or result.model
        graded.append(Graded(case, 100 * result.fraction, tuple(str(f) for f in result.flags), version))
    return graded


@dataclass(frozen=True)
class Threshold:
    """A bound on a kind's mean % of max; `relative_to` makes it a multiple of another kind's mean."""

    kind: str
    bound: Literal["min", "max"]
    value: float
    relative_to: str = ""


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold("reference", "min", 85),
    Threshold("keywords", "max", 20),
    Threshold("swapped", "max", 35),
    Threshold("negated", "max", 35),
    Threshold("negated_once", "max", 35),
    Threshold("half_wrong", "max", 60),
    Threshold("shuffled", "max", 20),
    Threshold("shuffled_in_sentences", "max", 20),
    Threshold("filler", "max", 1.0, relative_to="reference"),
    Threshold("field_filler", "max", 1.0, relative_to="reference"),
    Threshold("other", "max", 10),
    Threshold("paraphrase", "min", 60),
    Threshold("english", "min", 0.8, relative_to="chinese"),
)
# Every filler answer must carry a flag its reference's grade lacks; every "other" answer the off-topic flag.
FLAGGED_SHARE = 1.0


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    text: str


@dataclass
class Report:
    kinds: list[str]
    table: dict[str, dict[str, float]]  # slug → kind → % of max
    means: dict[str, float]
    checks: list[Check] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        return [c.text for c in self.checks if not c.passed]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def report(graded: Sequence[Graded]) -> Report:
    """Per question and kind the % of max, the mean per kind over questions, and each threshold checked."""
    table: dict[str, dict[str, float]] = defaultdict(dict)
    flags: dict[tuple[str, str], tuple[str, ...]] = {}
    for g in graded:
        table[g.case.slug][g.case.kind] = g.percent
        flags[(g.case.slug, g.case.kind)] = g.flags
    kinds = [k for k in KINDS if any(k in row for row in table.values())]
    means = {k: _mean([row[k] for row in table.values() if k in row]) for k in kinds}
    checks = []
    for t in THRESHOLDS:
        if t.kind not in means or (t.relative_to and t.relative_to not in means):
            continue
        limit = t.value * means[t.relative_to] if t.relative_to else t.value
        mean = means[t.kind]
        passed = mean >= limit if t.bound == "min" else mean <= limit
        sign = "≥" if t.bound == "min" else "≤"
        if t.relative_to:
            factor = "" if t.value == 1 else f"{t.value:g} × "
            wanted = f"{sign} {factor}{t.relative_to} {means[t.relative_to]:.1f} = {limit:.1f}"
        else:
            wanted = f"{sign} {limit:g}"
        checks.append(
            Check(t.kind, passed, f"{'PASS' if passed else 'FAIL'} {t.kind}: mean {mean:.1f} ({wanted})")
        )
    for padding in ("filler", "field_filler"):
        if padding in kinds:
            slugs = [s for s, row in table.items() if padding in row]
            flagged = [s for s in slugs if set(flags[(s, padding)]) - set(flags.get((s, "reference"), ()))]
            gained = [s for s in slugs if table[s][padding] > table[s].get("reference", 100.0)]
            checks.append(
                _share_check(f"{padding} flagged", len(flagged), len(slugs), f"; gains on {len(gained)}")
            )
    if "other" in kinds:
        slugs = [s for s, row in table.items() if "other" in row]
        flagged = [s for s in slugs if str(Flag.OFF_TOPIC) in flags[(s, "other")]]
        checks.append(_share_check("other flagged off topic", len(flagged), len(slugs), ""))
    return Report(kinds=kinds, table=dict(table), means=means, checks=checks)


def _share_check(name: str, flagged: int, total: int, extra: str) -> Check:
    share = flagged / total if total else 0.0
    passed = share >= FLAGGED_SHARE
    text = f"{'PASS' if passed else 'FAIL'} {name}: {flagged}/{total} ({share:.0%}; wanted all){extra}"
    return Check(name, passed, text)


def report_lines(result: Report, width: int = 34) -> list[str]:
    """The report as text: a row per question, a column per kind (blank where no case), means, checks."""
    columns = [max(len(k), 5) + 1 for k in result.kinds]
    lines = [
        f"{'question':<{width}}" + "".join(f"{k:>{w}}" for k, w in zip(result.kinds, columns, strict=True))
    ]
    for slug in sorted(result.table):
        row = result.table[slug]
        cells = (
            f"{row[k]:>{w}.0f}" if k in row else " " * w for k, w in zip(result.kinds, columns, strict=True)
        )
        lines.append(f"{slug[: width - 1]:<{width}}" + "".join(cells))
    means = (f"{result.means[k]:>{w}.1f}" for k, w in zip(result.kinds, columns, strict=True))
    lines.append(f"{'mean':<{width}}" + "".join(means))
    lines += [c.text for c in result.checks]
    return lines
