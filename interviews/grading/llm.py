"""The LLM judge: any OpenAI-compatible Chat Completions server, structured output, checked evidence."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from decimal import Decimal

import openai
from openai import OpenAI
from pydantic import ValidationError

from interviews.grading import prompt
from interviews.grading.errors import JudgeFailed, JudgeUnavailable
from interviews.grading.injection import find_injection
from interviews.grading.prompt import LLMGrade
from interviews.grading.text import compact
from interviews.grading.types import CriterionResult, Flag, GradeResult, JudgeInput, points_for

_ELLIPSIS = re.compile(r"\.{3,}|…+")
MIN_EVIDENCE_CHARS = 2


class LLMJudge:
    name = "llm"

    def __init__(
        self,
        *,
        model: str,
        api_key: str,
        base_url: str | None = None,
        timeout: float = 60.0,
        response_format: str = "json_schema",
        prices_per_million: Mapping[str, tuple[float, float]] | None = None,
        max_retries: int = 0,
        temperature: float | None = 0.0,
    ) -> None:
        if response_format not in {"json_schema", "json_object"}:
            raise ValueError(f"response_format must be json_schema or json_object, not {response_format!r}")
        self.model = model
        self.response_format = response_format
        self.prices = dict(prices_per_million or {})
        # None sends no temperature at all: some reasoning models refuse any value but their default.
        self.sampling = {} if temperature is None else {"temperature": temperature}
        # Retries with backoff are the Celery task's job; the SDK's own would multiply them.
        self.client = OpenAI(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)

    def grade(self, judge_input: JudgeInput) -> GradeResult:
        started = time.perf_counter()
        messages, truncated = prompt.messages(judge_input)
        tokens_in = tokens_out = 0
        parsed: LLMGrade | None = None
        for attempt in range(2):
            content, usage_in, usage_out = self._complete(messages)
            tokens_in, tokens_out = tokens_in + usage_in, tokens_out + usage_out
            try:
                parsed = _parse(content, judge_input)
                break
            except ValueError as exc:
                if attempt == 1:
                    raise JudgeFailed(f"invalid output twice: {exc}", flag=Flag.LLM_INVALID_OUTPUT) from exc
                # Retried once, with the error, in the same conversation.
                messages = [
                    *messages,
                    {"role": "assistant", "content": content},
                    {
                        "role": "user",
                        "content": f"Your reply was not valid: {exc}\nReply again with only the "
                        "JSON object, one entry per rubric point, labels as given.",
                    },
                ]
        assert parsed is not None
        return self._result(judge_input, parsed, truncated, tokens_in, tokens_out, started)

    def _complete(self, messages: list[dict[str, str]]) -> tuple[str, int, int]:
        if self.response_format == "json_schema":
            response_format = {
                "type": "json_schema",
                "json_schema": {"name": "grade", "strict": True, "schema": prompt.output_schema()},
            }
        else:
            response_format = {"type": "json_object"}
        try:
            completion = self.client.chat.completions.create(  # type: ignore[call-overload]
                model=self.model, messages=messages, response_format=response_format, **self.sampling
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

    def _result(
        self,
        judge_input: JudgeInput,
        parsed: LLMGrade,
        truncated: bool,
        tokens_in: int,
        tokens_out: int,
        started: float,
    ) -> GradeResult:
        # Nothing is deleted from the answer: text addressing the grader is flagged; the grade is uncertain.
        injected_segments = [compact(segment) for segment in find_injection(judge_input.answer)]
        injected = bool(injected_segments)
        answer_compact = compact(judge_input.answer)
        flags: list[Flag] = []
        if injected or parsed.injection_suspected:
            flags.append(Flag.INJECTION)
        if truncated:
            flags.append(Flag.TRUNCATED)
        if not answer_compact:
            flags.append(Flag.EMPTY)
        by_label = {c.label: c for c in parsed.criteria}
        results = []
        for label, criterion in zip(prompt.labels(judge_input), judge_input.criteria, strict=True):
            item = by_label[label]
            verdict, comment = item.verdict, item.comment
            quotes_injection = any(compact(item.evidence) in segment for segment in injected_segments)
            if verdict != "missed" and (
                quotes_injection or not evidence_in_answer(item.evidence, answer_compact)
            ):
                verdict = "missed"
                comment = f"{comment} [evidence not found in the answer]".strip()
                if Flag.EVIDENCE_NOT_FOUND not in flags:
                    flags.append(Flag.EVIDENCE_NOT_FOUND)
            results.append(
                CriterionResult(
                    id=criterion.id,
                    verdict=verdict,
                    points=points_for(verdict, criterion.points),
                    max_points=Decimal(criterion.points),
                    evidence=item.evidence if verdict != "missed" else "",
                    comment=comment,
                )
            )
        price_in, price_out = self.prices.get(self.model, (0.0, 0.0))
        cost = (Decimal(str(price_in)) * tokens_in + Decimal(str(price_out)) * tokens_out) / 1_000_000
        return GradeResult(
            criteria=tuple(results),
            judge="llm",
            model=self.model,
            prompt_version=prompt.PROMPT_VERSION,
            feedback=parsed.feedback.strip(),
            misconceptions=tuple(m.strip() for m in parsed.misconceptions if m.strip()),
            flags=tuple(str(f) for f in flags),
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            latency_ms=round((time.perf_counter() - started) * 1000),
            cost_usd=cost.quantize(Decimal("0.000001")),
            uncertain=Flag.INJECTION in flags or Flag.EVIDENCE_NOT_FOUND in flags,
            confidence=0.5 if Flag.INJECTION in flags or Flag.EVIDENCE_NOT_FOUND in flags else 1.0,
            judge_version=f"llm/{prompt.PROMPT_VERSION}",
        )


def _parse(content: str, judge_input: JudgeInput) -> LLMGrade:
    """The reply as an LLMGrade with exactly one entry per rubric label; ValueError says what is wrong."""
    try:
        parsed = LLMGrade.model_validate(json.loads(content))
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg} at character {exc.pos})") from exc
    except ValidationError as exc:
        raise ValueError(
            f"does not match the schema: {exc.errors(include_url=False, include_input=False)}"
        ) from exc
    wanted = prompt.labels(judge_input)
    got = [c.label for c in parsed.criteria]
    if sorted(got) != sorted(wanted):
        raise ValueError(f"criteria labels must be exactly {wanted} once each, got {got}")
    return parsed


def evidence_in_answer(evidence: str, answer_compact: str) -> bool:
    """Every part of the quote (split at ellipses) occurs in the answer, spacing and punctuation aside."""
    parts = [compact(p) for p in _ELLIPSIS.split(evidence)]
    parts = [p for p in parts if p]
    return (
        bool(parts) and sum(map(len, parts)) >= MIN_EVIDENCE_CHARS and all(p in answer_compact for p in parts)
    )


def _retry_after(headers: Mapping[str, str]) -> float | None:
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value:
            try:
                return max(0.0, float(value) * scale)
            except ValueError:
                continue
    return None
