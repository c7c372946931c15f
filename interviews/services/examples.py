"""Answers people graded, in the LLM judge's prompt: adopted only when they make it agree better with people.

`examples_measure` holds a share of the human-graded answers aside (by a hash of the answer's id, the same
split as the offline calibration's refit) and grades each of them with the LLM twice: as today, and with up
to k of the question's other human-graded answers in the prompt (never one held aside). The examples are
adopted only when their mean absolute error against the people's scores is lower; every grade records in its
judge version which examples its prompt carried.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from interviews.grading.evaluation import Agreement, agreement
from interviews.grading.recalibration import SCALE, is_held_aside
from interviews.grading.types import GradeResult, JudgeInput
from interviews.models import ExamplesDecision
from interviews.selectors.examples import examples_decision_latest, graded_examples, human_grades_current
from interviews.services.judges import judge_input_for_question
from questionbank.models import rubric_fingerprint


def judge_input_with_examples(
    judge_input: JudgeInput, *, question_id: int, rubric_hash: str, answer_id: int | None
) -> JudgeInput:
    """The input with the graded examples the latest decision adopted (none until one is adopted)."""
    decision = examples_decision_latest()
    if decision is None or not decision.adopted or not decision.examples:
        return judge_input
    examples = graded_examples(
        question_id=question_id,
        rubric_hash=rubric_hash,
        count=decision.examples,
        held_aside_share=decision.held_aside_share,
        exclude_answer_id=answer_id,
    )
    return replace(judge_input, examples=examples)


@dataclass(frozen=True)
class ExamplesOutcome:
    held_aside: int
    with_examples: int  # held-aside answers whose question had examples to show
    without: Agreement  # the LLM judge as it is, on the held-aside answers (scores on 0..10)
    examples: Agreement  # the same answers with examples in the prompt
    tokens_in: int
    tokens_out: int
    cost_usd: float

    @property
    def adopted(self) -> bool:
        return self.with_examples > 0 and self.examples.mae < self.without.mae


def examples_measure(
    *, count: int, held_aside_share: float, grade: Callable[[JudgeInput], GradeResult]
) -> ExamplesOutcome:
    """Grade every held-aside human-graded answer without and with examples; nothing is written."""
    judged: list[float] = []
    judged_with: list[float] = []
    human: list[float] = []
    shown = tokens_in = tokens_out = 0
    cost = 0.0
    for person in human_grades_current():
        if not is_held_aside(str(person.answer_id), held_aside_share):
            continue
        answer, question = person.answer, person.answer.question
        criteria, misconceptions = list(question.rubric.all()), list(question.misconceptions.all())
        rubric_hash = rubric_fingerprint(criteria, misconceptions)
        if rubric_hash != person.rubric_hash:
            continue  # the rubric changed since the person graded: their verdicts are about other points
        base = judge_input_for_question(
            question=question, criteria=criteria, misconceptions=misconceptions, answer_text=answer.text
        )
        examples = graded_examples(
            question_id=question.pk,
            rubric_hash=rubric_hash,
            count=count,
            held_aside_share=held_aside_share,
            exclude_answer_id=answer.pk,
        )
        without, with_examples = grade(base), grade(replace(base, examples=examples))
        shown += bool(examples)
        for result in (without, with_examples):
            tokens_in, tokens_out = tokens_in + result.tokens_in, tokens_out + result.tokens_out
            cost += float(result.cost_usd)
        judged.append(without.fraction * SCALE)
        judged_with.append(with_examples.fraction * SCALE)
        human.append(float(person.score / person.max_score) * SCALE)
    if not human:
        raise ValueError("no human grade is held aside: nothing to measure the examples on")
    return ExamplesOutcome(
        held_aside=len(human),
        with_examples=shown,
        without=agreement(judged, human, scale=SCALE),
        examples=agreement(judged_with, human, scale=SCALE),
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        cost_usd=cost,
    )


def examples_decide(*, count: int, held_aside_share: float, outcome: ExamplesOutcome) -> ExamplesDecision:
    """Record the measurement; the judge uses examples from now on only if it adopted them."""
    return ExamplesDecision.objects.create(
        examples=count,
        held_aside_share=held_aside_share,
        adopted=outcome.adopted,
        held_aside=outcome.held_aside,
        without_examples=_figures(outcome.without),
        with_examples=_figures(outcome.examples),
    )


def _figures(a: Agreement) -> dict[str, float | None]:
    """JSON holds no NaN (a correlation of constant scores): None stands for it."""
    return {
        k: None if math.isnan(v) else round(v, 4)
        for k, v in (("pearson", a.pearson), ("qwk", a.qwk), ("mae", a.mae))
    }
