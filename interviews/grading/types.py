"""The grading contract: what a judge is given and what it returns. No ORM here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Literal, Protocol

Verdict = Literal["met", "partial", "missed"]
VERDICT_SHARE: dict[str, Decimal] = {"met": Decimal(1), "partial": Decimal("0.5"), "missed": Decimal(0)}
CENT = Decimal("0.01")


class Flag(StrEnum):
    EMPTY = "empty"
    OFF_TOPIC = "off_topic"
    INJECTION = "injection_suspected"
    TRUNCATED = "truncated"
    EVIDENCE_NOT_FOUND = "evidence_not_found"
    # A quote in the answer that does not support its point (too short, spliced, about something else).
    EVIDENCE_UNSUPPORTED = "evidence_unsupported"
    # The LLM and the offline judge disagree by more than the set share of the marks.
    JUDGES_DISAGREE = "judges_disagree"
    # The LLM's samples disagree on the points' verdicts.
    UNSTABLE = "unstable_verdicts"
    LLM_UNAVAILABLE = "llm_unavailable"
    LLM_INVALID_OUTPUT = "llm_invalid_output"
    LLM_REFUSED = "llm_refused"
    FILLER = "filler"


@dataclass(frozen=True)
class CriterionInput:
    id: str
    description: str
    points: int
    terms: tuple[str, ...] = ()
    # For points derived from reference answers: the number (1..) of the reference answer this point
    # comes from.
    # Points of different alternatives are never added up: an answer is graded against its best-matching one.
    alternative: int = 0


@dataclass(frozen=True)
class MisconceptionInput:
    """A wrong claim candidates make, the phrasings that state it, and the rubric point it contradicts."""

    claim: str
    phrasings: tuple[str, ...]
    criterion_id: str


@dataclass(frozen=True)
class GradedExample:
    """An earlier answer to the question as a person graded it: shows the LLM how the rubric is applied."""

    key: str  # stable (the answer's id): which examples a grade used
    answer: str
    verdicts: tuple[tuple[str, Verdict], ...]  # (criterion id, the person's verdict), in rubric order


@dataclass(frozen=True)
class JudgeInput:
    question: str
    reference: str
    criteria: tuple[CriterionInput, ...]
    answer: str
    language: str = "zh"
    # Further reference answers (the ADS data has up to three); the first one is `reference`.
    extra_references: tuple[str, ...] = ()
    misconceptions: tuple[MisconceptionInput, ...] = ()
    # What the question is about (its topics), for the LLM's prompt; "" when unknown.
    subject: str = ""
    # Answers people graded, for the LLM's prompt (only once adopted: `recalibrate_judge --examples`).
    examples: tuple[GradedExample, ...] = ()

    @property
    def max_score(self) -> Decimal:
        """Rubric points; with alternative point sets (derived from several references), the largest set's."""
        sets: dict[int, int] = {}
        for c in self.criteria:
            sets[c.alternative] = sets.get(c.alternative, 0) + c.points
        common = sets.pop(0, 0)
        return Decimal(common + max(sets.values(), default=0))

    @property
    def references(self) -> tuple[str, ...]:
        return (self.reference, *self.extra_references)


@dataclass(frozen=True)
class CriterionResult:
    id: str
    verdict: Verdict
    points: Decimal
    max_points: Decimal
    evidence: str = ""
    comment: str = ""
    # The judge's reasoning about this point (the LLM's), kept for "why this score".
    reasoning: str = ""

    def as_json(self, *, description: str) -> dict[str, object]:
        """The stored form (Grade.criteria): self-contained, so a grade reads the same after a rubric edit."""
        return {
            "criterion_id": self.id,
            "description": description,
            "verdict": self.verdict,
            "points": float(self.points),
            "points_possible": float(self.max_points),
            "evidence": self.evidence,
            "comment": self.comment,
            "reasoning": self.reasoning,
        }


@dataclass(frozen=True)
class GradeResult:
    criteria: tuple[CriterionResult, ...]
    judge: Literal["llm", "offline"]
    model: str = ""
    prompt_version: str = ""
    feedback: str = ""
    misconceptions: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: int = 0
    cost_usd: Decimal = field(default=Decimal(0))
    # How sure the judge is of this grade, 0..1; an uncertain grade is provisional and goes to a person.
    confidence: float = 1.0
    uncertain: bool = False
    # The judge's own version (offline: algorithm + calibration), stored on the grade.
    judge_version: str = ""
    # What an auditor needs to see why (LLM: the messages sent, the raw replies, the checks); JSON-ready.
    audit: dict[str, object] = field(default_factory=dict)

    @property
    def score(self) -> Decimal:
        """Always the sum of the per-criterion points: no judge sets the total."""
        return sum((c.points for c in self.criteria), Decimal(0)).quantize(CENT, ROUND_HALF_UP)

    @property
    def max_score(self) -> Decimal:
        return sum((c.max_points for c in self.criteria), Decimal(0)).quantize(CENT, ROUND_HALF_UP)

    @property
    def fraction(self) -> float:
        return float(self.score / self.max_score) if self.max_score else 0.0


def points_for(verdict: Verdict, max_points: Decimal | int) -> Decimal:
    return (Decimal(max_points) * VERDICT_SHARE[verdict]).quantize(CENT, ROUND_HALF_UP)


class Judge(Protocol):
    name: str

    def grade(self, judge_input: JudgeInput) -> GradeResult: ...
