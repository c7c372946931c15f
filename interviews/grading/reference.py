"""The offline reference judge: deterministic, no network, Chinese-aware.

Each rubric point earns credit from its accepted terms and from how much of its description the answer covers,
blended with the answer's coverage of the reference answer. Credit is turned into a verdict; points follow it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from interviews.grading.injection import strip_injection
from interviews.grading.text import compact, sentences, term_found, token_recall, tokens
from interviews.grading.types import (
    CENT,
    CriterionInput,
    CriterionResult,
    Flag,
    GradeResult,
    JudgeInput,
    Verdict,
)

JUDGE_VERSION = "reference-1"


@dataclass(frozen=True)
class ReferenceWeights:
    """The few global knobs, tuned on the ADS development set as a whole (never per question)."""

    term: float = 0.5  # share of a point's credit earned by one of its accepted terms
    reference: float = 0.2  # share of every point's credit that comes from coverage of the reference answer
    floor: float = 0.1  # coverage below this is chance overlap
    met: float = 0.7
    partial: float = 0.3
    off_topic_score: float = 0.12  # below this share of the points, and
    off_topic_relevance: float = 0.3  # below this share of its words shared with the question: off topic


def _shape(coverage: float, floor: float) -> float:
    """Coverage above the chance floor, square-rooted: naming most of a point's content earns most of it."""
    return math.sqrt(max(0.0, min(1.0, (coverage - floor) / (1.0 - floor))))


class ReferenceJudge:
    name = "offline"

    def __init__(self, weights: ReferenceWeights | None = None) -> None:
        self.weights = weights or ReferenceWeights()

    def grade(self, judge_input: JudgeInput) -> GradeResult:
        started = time.perf_counter()
        w = self.weights
        answer, injected = strip_injection(judge_input.answer)
        flags = [Flag.INJECTION] if injected else []
        answer_compact = compact(answer)
        if not answer_compact:
            flags.insert(0, Flag.EMPTY)
            results = [_missed(c) for c in judge_input.criteria]
            return self._result(judge_input, results, flags, started)

        answer_tokens = frozenset(tokens(answer))
        answer_sentences = sentences(answer)
        reference_credit = max(
            _shape(token_recall(tokens(ref), answer_tokens, answer_compact), w.floor)
            for ref in judge_input.references
            if ref.strip()
        )
        results = []
        for criterion in judge_input.criteria:
            term_hit = any(term_found(t, answer) for t in criterion.terms)
            coverage = _shape(
                token_recall(tokens(criterion.description), answer_tokens, answer_compact), w.floor
            )
            own = (w.term * term_hit + (1 - w.term) * coverage) if criterion.terms else coverage
            credit = (1 - w.reference) * own + w.reference * reference_credit
            verdict: Verdict = "met" if credit >= w.met else "partial" if credit >= w.partial else "missed"
            if verdict == "missed":
                # A missed point earns nothing, so that the verdict and the points a candidate reads agree.
                results.append(_missed(criterion))
                continue
            results.append(
                CriterionResult(
                    id=criterion.id,
                    verdict=verdict,
                    points=(Decimal(criterion.points) * Decimal(credit)).quantize(CENT, ROUND_HALF_UP),
                    max_points=Decimal(criterion.points),
                    evidence=_best_sentence(criterion, answer_sentences),
                )
            )

        total = sum(r.points for r in results) / max(Decimal(1), judge_input.max_score)
        if (
            total < Decimal(str(w.off_topic_score))
            and _relevance(judge_input, answer_tokens) < w.off_topic_relevance
        ):
            flags.append(Flag.OFF_TOPIC)
        return self._result(judge_input, results, flags, started)

    def _result(
        self, judge_input: JudgeInput, results: list[CriterionResult], flags: list[Flag], started: float
    ) -> GradeResult:
        return GradeResult(
            criteria=tuple(results),
            judge="offline",
            model=JUDGE_VERSION,
            feedback=_feedback(judge_input, results, flags),
            flags=tuple(str(f) for f in flags),
            latency_ms=round((time.perf_counter() - started) * 1000),
        )


def _missed(criterion: CriterionInput) -> CriterionResult:
    return CriterionResult(
        id=criterion.id, verdict="missed", points=Decimal(0), max_points=Decimal(criterion.points)
    )


def _best_sentence(criterion: CriterionInput, answer_sentences: list[str]) -> str:
    """The answer sentence that says most about this point: its terms first, then its description's words."""
    wanted = tokens(criterion.description)

    def score(sentence: str) -> tuple[int, float]:
        hits = sum(term_found(t, sentence) for t in criterion.terms)
        return hits, token_recall(wanted, frozenset(tokens(sentence)), compact(sentence))

    return max(answer_sentences, key=score, default="")


def _relevance(judge_input: JudgeInput, answer_tokens: frozenset[str]) -> float:
    """Share of the answer's words that the question, reference or rubric also use."""
    if not answer_tokens:
        return 0.0
    source = " ".join(
        [judge_input.question, *judge_input.references, *(c.description for c in judge_input.criteria)]
        + [t for c in judge_input.criteria for t in c.terms]
    )
    known = frozenset(tokens(source))
    return token_recall(tuple(answer_tokens), known, compact(source))


_FEEDBACK = {
    "zh": {
        "empty": "没有作答。",
        "covered": "答到了 {met}/{total} 个要点",
        "partial": "，{n} 个要点只答到一部分",
        "missed": "。还缺少：{items}。",
        "all": "。要点齐全。",
        "off_topic": "回答与题目关系不大。",
        "injection": "回答中对评分者的指令被忽略，不计分。",
        "sep": "；",
        "join": "",
    },
    "en": {
        "empty": "No answer was given.",
        "covered": "Covered {met} of {total} key points",
        "partial": ", {n} only in part",
        "missed": ". Missing: {items}.",
        "all": ". All key points are there.",
        "off_topic": "The answer has little to do with the question.",
        "injection": "Instructions to the grader inside the answer were ignored and earn nothing.",
        "sep": "; ",
        "join": " ",
    },
}


def _feedback(judge_input: JudgeInput, results: list[CriterionResult], flags: list[Flag]) -> str:
    text = _FEEDBACK["en" if judge_input.language.startswith("en") else "zh"]
    if Flag.EMPTY in flags:
        return text["empty"]
    parts = []
    if Flag.OFF_TOPIC in flags:
        parts.append(text["off_topic"])
    met = sum(r.verdict == "met" for r in results)
    partial = sum(r.verdict == "partial" for r in results)
    summary = text["covered"].format(met=met, total=len(results))
    if partial:
        summary += text["partial"].format(n=partial)
    descriptions = {c.id: c.description for c in judge_input.criteria}
    missing = [descriptions[r.id] for r in results if r.verdict != "met"]
    summary += text["missed"].format(items=text["sep"].join(missing)) if missing else text["all"]
    parts.append(summary)
    if Flag.INJECTION in flags:
        parts.append(text["injection"])
    return text["join"].join(parts)
