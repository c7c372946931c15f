"""The LLM judge: any OpenAI-compatible Chat Completions server, structured output, checked evidence.

Each sample (JUDGE_SAMPLES, with distinct seeds) is checked on its own: a quote must be in the answer, one
span (or pieces of one sentence, in order), long enough for its point and about it (evidence.py, with the
offline judge's matcher); otherwise the point is downgraded and flagged. A point the model links a stated
misconception to cannot be met. The per-point majority of the samples is the grade; their agreement, and the
offline judge's score as a cross-check, decide whether it is uncertain (then a person reviews it). The exact
messages, the raw replies and every check are kept in the result's audit.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

import openai
from openai import OpenAI

from interviews.grading import prompt
from interviews.grading.errors import JudgeFailed, JudgeUnavailable
from interviews.grading.evidence import Problem, in_answer, relation_problem, text_problem
from interviews.grading.injection import find_injection
from interviews.grading.offline import OfflineJudge
from interviews.grading.prompt import LLMCriterion, LLMGrade
from interviews.grading.replies import reply_as
from interviews.grading.text import compact
from interviews.grading.types import (
    CriterionResult,
    Flag,
    GradeResult,
    JudgeInput,
    Verdict,
    points_for,
)

_ORDER: tuple[Verdict, ...] = ("missed", "partial", "met")


@dataclass(frozen=True)
class _Point:
    """One sample's verdict on one point, after the checks."""

    verdict: Verdict
    evidence: str
    reasoning: str
    comment: str
    problem: Problem | None = None
    capped_by: str = ""  # the misconception that keeps it from being met


@dataclass(frozen=True)
class _Sample:
    seed: int
    points: dict[str, _Point]
    feedback: str
    misconceptions: tuple[str, ...]
    injection_suspected: bool
    replies: tuple[str, ...]
    ignored_misconceptions: tuple[str, ...]


def _as_point(item: LLMCriterion) -> _Point:
    return _Point(item.verdict, item.evidence, item.reasoning.strip(), item.comment.strip())


def _downgraded(point: _Point, problem: Problem | None) -> _Point:
    """A quote that is not in the answer, not one span, too short or about nothing in the rubric: missed;
    one about another point: one step down. Text that addresses the grader is judged like any other."""
    if problem is None:
        return point
    verdict: Verdict = "missed"
    if problem == Problem.OTHER_POINT:
        verdict = _ORDER[_ORDER.index(point.verdict) - 1]
    return replace(point, verdict=verdict, problem=problem)


class LLMJudge:
    name = "llm"

    def __init__(
        self,
        *,
        model: str,
        api_key: str,
        max_answer_chars: int,
        base_url: str | None = None,
        timeout: float = 60.0,
        response_format: str = "json_schema",
        prices_per_million: Mapping[str, tuple[float, float]] | None = None,
        max_retries: int = 0,
        temperature: float | None = 0.0,
        max_tokens: int = 4096,
        seed: int = 0,
        samples: int = 1,
        max_disagreement: float = 0.3,
        min_agreement: float = 0.8,
        offline: OfflineJudge | None = None,
    ) -> None:
        if response_format not in {"json_schema", "json_object"}:
            raise ValueError(f"response_format must be json_schema or json_object, not {response_format!r}")
        if samples < 1:
            raise ValueError(f"samples must be at least 1, not {samples}")
        self.model = model
        self.response_format = response_format
        self.prices = dict(prices_per_million or {})
        self.max_answer_chars = max_answer_chars
        # None sends no temperature at all: some reasoning models refuse any value but their default.
        self.sampling: dict[str, float] = {} if temperature is None else {"temperature": temperature}
        self.max_tokens = max_tokens
        self.seeds = [seed + i for i in range(samples)]
        self.max_disagreement = max_disagreement
        self.min_agreement = min_agreement
        # The offline judge measures whether a quote is about its point, and cross-checks the total.
        self.offline = offline or OfflineJudge()
        # Retries with backoff are the Celery task's job; the SDK's own would multiply them.
        self.client = OpenAI(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)

    def grade(self, judge_input: JudgeInput) -> GradeResult:
        started = time.perf_counter()
        messages, truncated = prompt.messages(judge_input, max_answer_chars=self.max_answer_chars)
        tokens_in = tokens_out = 0
        samples = []
        for seed in self.seeds:
            parsed, replies, used_in, used_out = self._ask(messages, judge_input, seed)
            tokens_in, tokens_out = tokens_in + used_in, tokens_out + used_out
            samples.append(self._checked(judge_input, parsed, seed, replies))
        return self._result(judge_input, messages, samples, truncated, tokens_in, tokens_out, started)

    def _ask(
        self, messages: list[dict[str, str]], judge_input: JudgeInput, seed: int
    ) -> tuple[LLMGrade, tuple[str, ...], int, int]:
        """One sample: the parsed reply, the raw replies (an invalid one is retried once, with the error)."""
        tokens_in = tokens_out = 0
        replies: list[str] = []
        for attempt in range(2):
            content, usage_in, usage_out = self._complete(messages, seed)
            tokens_in, tokens_out = tokens_in + usage_in, tokens_out + usage_out
            replies.append(content)
            try:
                return _parse(content, judge_input), tuple(replies), tokens_in, tokens_out
            except ValueError as exc:
                if attempt == 1:
                    raise JudgeFailed(f"invalid output twice: {exc}", flag=Flag.LLM_INVALID_OUTPUT) from exc
                messages = [
                    *messages,
                    {"role": "assistant", "content": content},
                    {
                        "role": "user",
                        "content": f"Your reply was not valid: {exc}\nReply again with only the "
                        "JSON object, one entry per rubric point, labels as given.",
                    },
                ]
        raise AssertionError("unreachable")

    def _complete(self, messages: list[dict[str, str]], seed: int) -> tuple[str, int, int]:
        if self.response_format == "json_schema":
            response_format = {
                "type": "json_schema",
                "json_schema": {"name": "grade", "strict": True, "schema": prompt.output_schema()},
            }
        else:
            response_format = {"type": "json_object"}
        try:
            completion = self.client.chat.completions.create(  # type: ignore[call-overload]
                model=self.model,
                messages=messages,
                response_format=response_format,
                max_tokens=self.max_tokens,
                seed=seed,
                **self.sampling,
            )
        except openai.RateLimitError as exc:
            raise JudgeUnavailable(
                f"rate limited: {exc}", retry_after=_retry_after(exc.response.headers)
            ) from exc
        except openai.APIConnectionError as exc:  # includes timeouts
            raise JudgeUnavailable(f"{type(exc).__name__}: {exc}") from exc
        except openai.APIStatusError as exc:
            if exc.status_code >= 500 or exc.status_code in {408, 409}:
                raise JudgeUnavailable(f"server error {exc.status_code}") from exc
            raise JudgeFailed(
                f"request refused with {exc.status_code}: {exc}", flag=Flag.LLM_INVALID_OUTPUT
            ) from exc
        choice = completion.choices[0] if completion.choices else None
        if choice is None:
            raise JudgeUnavailable("no choices in the reply")
        if choice.message.refusal:
            raise JudgeFailed(f"the model refused: {choice.message.refusal}", flag=Flag.LLM_REFUSED)
        usage = completion.usage
        content = choice.message.content or ""
        if choice.finish_reason == "length":
            content += "\n(the reply was cut off by the token limit)"
        return content, (usage.prompt_tokens if usage else 0), (usage.completion_tokens if usage else 0)

    def _checked(
        self, judge_input: JudgeInput, parsed: LLMGrade, seed: int, replies: tuple[str, ...]
    ) -> _Sample:
        """One reply's verdicts after the evidence and misconception checks."""
        labels = prompt.labels(judge_input)
        by_label = {c.label: c for c in parsed.criteria}
        # A stated error counts only with its quote in the answer: a model cannot invent one to cost a point.
        stated = [m for m in parsed.misconceptions if m.claim.strip()]
        counted = [m for m in stated if in_answer(m.evidence, judge_input.answer)]
        capped = {m.contradicts: m.claim.strip() for m in counted if m.contradicts in labels}
        given = {
            criterion.id: _as_point(by_label[label])
            for label, criterion in zip(labels, judge_input.criteria, strict=True)
        }
        problems = {
            criterion.id: text_problem(
                given[criterion.id].evidence, judge_input.answer, criterion.description
            )
            for criterion in judge_input.criteria
            if given[criterion.id].verdict != "missed"
        }
        # The quotes that are the answer's own text are weighed against the rubric, all in one encoder call.
        quoted = [criterion_id for criterion_id, problem in problems.items() if problem is None]
        weighed = self.offline.quote_supports(judge_input, [given[c].evidence for c in quoted])
        for criterion_id, support in zip(quoted, weighed, strict=True):
            problems[criterion_id] = relation_problem(support, criterion_id)
        points = {}
        for label, criterion in zip(labels, judge_input.criteria, strict=True):
            point = given[criterion.id]
            if criterion.id in problems:
                point = _downgraded(point, problems[criterion.id])
            if point.verdict == "met" and label in capped:
                point = replace(point, verdict="partial", capped_by=capped[label])
            points[criterion.id] = point
        return _Sample(
            seed=seed,
            points=points,
            feedback=parsed.feedback.strip(),
            misconceptions=tuple(m.claim.strip() for m in counted),
            injection_suspected=parsed.injection_suspected,
            replies=replies,
            ignored_misconceptions=tuple(m.claim.strip() for m in stated if m not in counted),
        )

    def _result(
        self,
        judge_input: JudgeInput,
        messages: list[dict[str, str]],
        samples: list[_Sample],
        truncated: bool,
        tokens_in: int,
        tokens_out: int,
        started: float,
    ) -> GradeResult:
        results, agreements = [], []
        for criterion in judge_input.criteria:
            votes = [s.points[criterion.id] for s in samples]
            point, agreement = _majority(votes)
            agreements.append((agreement, criterion.points))
            results.append(
                CriterionResult(
                    id=criterion.id,
                    verdict=point.verdict,
                    points=points_for(point.verdict, criterion.points),
                    max_points=Decimal(criterion.points),
                    evidence=point.evidence if point.verdict != "missed" else "",
                    comment=_comment(point),
                    reasoning=point.reasoning,
                )
            )
        weight = sum(points for _, points in agreements) or 1
        agreement = sum(a * points for a, points in agreements) / weight
        chosen = samples[0]
        misconceptions = tuple(dict.fromkeys(m for s in samples for m in s.misconceptions))
        problems = [p for s in samples for p in s.points.values() if p.problem]
        # The regex only flags: it never decides what counts as evidence (a reworded injection escapes it,
        # an innocent sentence may match it).
        injected = bool(find_injection(judge_input.answer)) or any(s.injection_suspected for s in samples)
        offline = self.offline.grade(judge_input)
        llm_fraction = _fraction(results)
        disagreement = abs(llm_fraction - offline.fraction)
        flags: list[Flag] = []
        if injected:
            flags.append(Flag.INJECTION)
        if truncated:
            flags.append(Flag.TRUNCATED)
        if not compact(judge_input.answer):
            flags.append(Flag.EMPTY)
        if any(p.problem == Problem.NOT_FOUND for p in problems):
            flags.append(Flag.EVIDENCE_NOT_FOUND)
        if any(p.problem not in (None, Problem.NOT_FOUND) for p in problems):
            flags.append(Flag.EVIDENCE_UNSUPPORTED)
        if disagreement > self.max_disagreement:
            flags.append(Flag.JUDGES_DISAGREE)
        if agreement < self.min_agreement:
            flags.append(Flag.UNSTABLE)
        needs_person = {
            Flag.INJECTION,
            Flag.EVIDENCE_NOT_FOUND,
            Flag.EVIDENCE_UNSUPPORTED,
            Flag.JUDGES_DISAGREE,
            Flag.UNSTABLE,
        }
        price_in, price_out = self.prices.get(self.model, (0.0, 0.0))
        cost = (Decimal(str(price_in)) * tokens_in + Decimal(str(price_out)) * tokens_out) / 1_000_000
        audit = {
            "messages": messages,
            "max_tokens": self.max_tokens,
            "samples": [
                {
                    "seed": s.seed,
                    "replies": list(s.replies),
                    "verdicts": {cid: p.verdict for cid, p in s.points.items()},
                    "checks": {
                        cid: {"problem": str(p.problem or ""), "misconception": p.capped_by}
                        for cid, p in s.points.items()
                        if p.problem or p.capped_by
                    },
                    "ignored_misconceptions": list(s.ignored_misconceptions),
                }
                for s in samples
            ],
            "agreement": round(agreement, 3),
            "offline": {
                "judge_version": offline.judge_version,
                "fraction": round(offline.fraction, 3),
                "verdicts": {c.id: c.verdict for c in offline.criteria},
            },
            "disagreement": round(disagreement, 3),
            "examples": [e.key for e in judge_input.examples],
        }
        return GradeResult(
            criteria=tuple(results),
            judge="llm",
            model=self.model,
            prompt_version=prompt.PROMPT_VERSION,
            feedback=chosen.feedback,
            misconceptions=misconceptions,
            flags=tuple(str(f) for f in flags),
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            latency_ms=round((time.perf_counter() - started) * 1000),
            cost_usd=cost.quantize(Decimal("0.000001")),
            uncertain=bool(needs_person & set(flags)),
            confidence=round(agreement * (1 - disagreement), 3),
            judge_version=_judge_version(judge_input),
            audit=audit,
        )


def _judge_version(judge_input: JudgeInput) -> str:
    """The prompt's version, and which graded examples it carried (if any)."""
    digest = prompt.examples_digest(judge_input)
    return f"llm/{prompt.PROMPT_VERSION}" + (f"+ex-{digest}" if digest else "")


def _majority(votes: Sequence[_Point]) -> tuple[_Point, float]:
    """The most common verdict (a tie goes to the lower), a sample that gave it, and the share agreeing."""
    counts = Counter(p.verdict for p in votes)
    verdict = max(counts, key=lambda v: (counts[v], -_ORDER.index(v)))
    return next(p for p in votes if p.verdict == verdict), counts[verdict] / len(votes)


def _fraction(results: Sequence[CriterionResult]) -> float:
    total = sum(c.max_points for c in results)
    return float(sum(c.points for c in results) / total) if total else 0.0


_PROBLEM_NOTES = {
    Problem.NOT_FOUND: "evidence not found in the answer",
    Problem.SPLICED: "evidence pieced together from different places",
    Problem.TOO_SHORT: "evidence too short to show the point",
    Problem.UNRELATED: "evidence about nothing in the rubric",
    Problem.OTHER_POINT: "evidence about another point",
}


def _comment(point: _Point) -> str:
    notes = [_PROBLEM_NOTES[point.problem]] if point.problem else []
    if point.capped_by:
        notes.append(f"contradicted by: {point.capped_by}")
    return " ".join([point.comment, *(f"[{n}]" for n in notes)]).strip()


def _parse(content: str, judge_input: JudgeInput) -> LLMGrade:
    """The reply as an LLMGrade with exactly one entry per rubric label; ValueError says what is wrong."""
    parsed = reply_as(LLMGrade, content)
    wanted = prompt.labels(judge_input)
    got = [c.label for c in parsed.criteria]
    if sorted(got) != sorted(wanted):
        raise ValueError(f"criteria labels must be exactly {wanted} once each, got {got}")
    wrong = [m.contradicts for m in parsed.misconceptions if m.contradicts not in ("", *wanted)]
    if wrong:
        raise ValueError(f'a misconception\'s "contradicts" must be one of {wanted} or "", got {wrong}')
    return parsed


def _retry_after(headers: Mapping[str, str]) -> float | None:
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value:
            try:
                return max(0.0, float(value) * scale)
            except ValueError:
                continue
    return None
