"""Refit the offline judge's calibration from the human grades (overrides, settled appeals), gated; with
`--examples K`, decide instead whether the LLM judge's prompt carries up to K graded answers per question.

The refit is written to JUDGE_CALIBRATION_FILE (else the bundled calibration.json) only when it agrees better
with the people's scores on a held-aside share of those grades; either way the command prints before and
after. Grades record the calibration they were made with (their judge version, offline-4+<calibration
version>). Web processes and workers read the calibration when they start: restart them after an adoption.

`--examples K` needs the LLM (OPENAI_API_KEY): it grades each held-aside human-graded answer without and
with examples, prints both agreements, tokens and cost, and records the decision (read at every grading,
no restart).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from interviews.grading.evaluation import Agreement
from interviews.grading.recalibration import HumanGrade, recalibrate
from interviews.selectors.examples import human_grades_current
from interviews.services.examples import examples_decide, examples_measure
from interviews.services.judges import (
    calibration_current,
    calibration_file,
    judge_input_for_question,
    llm_judge_from_settings,
)


class Command(BaseCommand):
    help = "Refit the offline judge's calibration on human grades; adopt it if held-aside agreement gains."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--held-aside", type=float, default=0.3, help="share of the grades held aside")
        parser.add_argument("--min-grades", type=int, default=20, help="do nothing with fewer human grades")
        parser.add_argument("--dry-run", action="store_true", help="print before and after, write nothing")
        parser.add_argument(
            "--examples",
            type=int,
            metavar="K",
            help="measure the LLM judge with up to K human-graded answers per question in its prompt",
        )

    def handle(
        self,
        *args: object,
        held_aside: float,
        min_grades: int,
        dry_run: bool,
        examples: int | None,
        **options: object,
    ) -> None:
        if examples is not None:
            self._examples(examples, held_aside=held_aside, dry_run=dry_run)
            return
        grades = _human_grades()
        if len(grades) < min_grades:
            self.stdout.write(
                f"{len(grades)} human grades, fewer than {min_grades}: the calibration is kept."
            )
            return
        current = calibration_current()
        try:
            outcome = recalibrate(grades, current=current, share=held_aside)
        except ValueError as exc:
            self.stdout.write(f"{exc}: the calibration is kept.")
            return
        self.stdout.write(
            f"{len(grades)} human grades: refitted on {outcome.trained_on}, measured on {outcome.held_aside} "
            "held aside (scores on 0..10)."
        )
        self.stdout.write(f"before ({current.version}): {_figures(outcome.before)}")
        self.stdout.write(f"after  ({outcome.candidate.version}): {_figures(outcome.after)}")
        if not outcome.adopted:
            self.stdout.write(f"No improvement on the held-aside grades: {current.version} is kept.")
        elif dry_run:
            self.stdout.write(f"{outcome.candidate.version} would be adopted (dry run: nothing written).")
        else:
            path = calibration_file()
            try:
                outcome.candidate.save(path)
            except OSError as exc:
                raise CommandError(
                    f"Cannot write {path} ({exc.strerror}): set JUDGE_CALIBRATION_FILE to a path that every "
                    "web and worker process shares and this one may write."
                ) from exc
            self.stdout.write(
                f"{outcome.candidate.version} adopted, written to {path}; restart the web processes and "
                "workers to grade with it."
            )

    def _examples(self, count: int, *, held_aside: float, dry_run: bool) -> None:
        if not settings.OPENAI_API_KEY:
            raise CommandError("--examples measures the LLM judge: set OPENAI_API_KEY (and OPENAI_BASE_URL).")
        if count < 1:
            raise CommandError("--examples needs at least 1.")
        judge = llm_judge_from_settings(max_retries=2)
        try:
            outcome = examples_measure(count=count, held_aside_share=held_aside, grade=judge.grade)
        except ValueError as exc:
            self.stdout.write(f"{str(exc).capitalize()}: the prompt is kept as it is.")
            return
        self.stdout.write(
            f"{outcome.held_aside} human-graded answers held aside ({outcome.with_examples} with examples "
            f"to show), graded by {settings.OPENAI_MODEL} twice (scores on 0..10):"
        )
        self.stdout.write(f"without examples: {_figures(outcome.without)}")
        self.stdout.write(f"with {count} examples: {_figures(outcome.examples)}")
        self.stdout.write(
            f"{outcome.tokens_in} tokens in, {outcome.tokens_out} out, ${outcome.cost_usd:.4f}."
        )
        verdict = "adopted" if outcome.adopted else "not adopted (no gain on the held-aside answers)"
        if dry_run:
            self.stdout.write(f"Examples would be {verdict} (dry run: nothing written).")
            return
        examples_decide(count=count, held_aside_share=held_aside, outcome=outcome)
        self.stdout.write(f"Examples {verdict}.")


def _figures(a: Agreement) -> str:
    return f"Pearson {a.pearson:.3f}, QWK {a.qwk:.3f}, MAE {a.mae:.2f}"


def _human_grades() -> list[HumanGrade]:
    """Every answer's current grade made by a person, as the offline judge sees the answer."""
    found = []
    for grade in human_grades_current():
        question = grade.answer.question
        judge_input = judge_input_for_question(
            question=question,
            criteria=list(question.rubric.all()),
            misconceptions=list(question.misconceptions.all()),
            answer_text=grade.answer.text,
        )
        found.append(HumanGrade(str(grade.answer_id), judge_input, float(grade.score / grade.max_score)))
    return found
