"""Which judge grades, and what it is given: the one place that turns bank rows into a judge's input."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from django.conf import settings

from interviews.grading.bank_input import graded_in_english_version
from interviews.grading.calibration import CALIBRATION_FILE, Calibration
from interviews.grading.derived import criteria_from_references
from interviews.grading.llm import LLMJudge
from interviews.grading.offline import OfflineJudge
from interviews.grading.types import CriterionInput, Judge, JudgeInput, MisconceptionInput
from questionbank.models import Misconception, Question, RubricCriterion


def judge_get() -> Judge:
    """The LLM judge when an API key is set, otherwise the offline judge."""
    return llm_judge() if settings.OPENAI_API_KEY else offline_judge()


def llm_judge_from_settings(*, max_retries: int = 0) -> LLMJudge:
    """A new LLM judge as configured by the OPENAI_* settings."""
    return LLMJudge(
        model=settings.OPENAI_MODEL,
        api_key=settings.OPENAI_API_KEY,
        base_url=settings.OPENAI_BASE_URL,
        timeout=settings.OPENAI_TIMEOUT,
        response_format=settings.OPENAI_RESPONSE_FORMAT,
        temperature=settings.OPENAI_TEMPERATURE,
        prices_per_million=settings.LLM_PRICES_PER_MILLION,
        max_retries=max_retries,
        max_answer_chars=settings.ANSWER_MAX_CHARS,
        max_tokens=settings.OPENAI_MAX_TOKENS,
        seed=settings.JUDGE_SEED,
        samples=settings.JUDGE_SAMPLES,
        max_disagreement=settings.JUDGE_MAX_DISAGREEMENT,
        min_agreement=settings.JUDGE_MIN_AGREEMENT,
        offline=offline_judge(),
    )


@cache
def llm_judge() -> LLMJudge:
    """One client per process: its connection pool is shared by the worker's threads."""
    return llm_judge_from_settings()


@cache
def offline_judge() -> OfflineJudge:
    """One offline judge per process: it holds the embedding model, loaded once."""
    return OfflineJudge(calibration=calibration_current())


def calibration_file() -> Path:
    """Where the adopted calibration lives: JUDGE_CALIBRATION_FILE, else the one bundled with the code."""
    return Path(settings.JUDGE_CALIBRATION_FILE) if settings.JUDGE_CALIBRATION_FILE else CALIBRATION_FILE


def calibration_current() -> Calibration:
    """The adopted calibration; the bundled one until `recalibrate_judge` has written one."""
    path = calibration_file()
    return Calibration.load(path if path.exists() else CALIBRATION_FILE)


def question_subject(question: Question) -> str:
    """What the question is about, for the LLM's prompt: its topics, in English like the prompt."""
    return ", ".join(topic.name_en for topic in question.topics.all())


def judge_input_for_question(
    *,
    question: Question,
    criteria: Sequence[RubricCriterion],
    misconceptions: Sequence[Misconception],
    answer_text: str,
) -> JudgeInput:
    """The judge's view of a question and an answer, in the answer's language where the question has it.
    Without a rubric, its points come from the reference."""
    english = graded_in_english_version(
        language=question.language, prompt_en=question.prompt_en, answer=answer_text
    )
    reference = question.reference_answer_en if english else question.reference_answer
    rubric = tuple(
        CriterionInput(
            id=str(c.pk),
            description=c.description_en if english else c.description,
            points=c.points,
            terms=tuple(c.terms_en if english else c.terms),
        )
        for c in criteria
    ) or criteria_from_references([reference])
    return JudgeInput(
        question=question.prompt_en if english else question.prompt,
        reference=reference,
        criteria=rubric,
        answer=answer_text,
        language="en" if english else question.language,
        subject=question_subject(question),
        misconceptions=tuple(
            MisconceptionInput(
                claim=m.claim_en if english else m.claim,
                phrasings=tuple(m.phrasings_en if english else m.phrasings),
                criterion_id=str(m.criterion_id),
            )
            for m in misconceptions
        ),
    )
