"""Measure a judge against human scores, next to the character-bigram cosine baseline of the same run.

Datasets are JSON lines in one of two shapes:
- the ADS shape (../shared/judge-data/ads-dev.jsonl): q_id, question, reference1..reference3, answer, score
  (0..10); no rubric, so the points to check are derived from the reference answers;
- the bank's shape: slug (a question of questionbank/data/), answer, score, and max_score (default: the
  question's rubric total); question, reference and rubric come from the bank files.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    OutputWrapper,
    no_translations,
)

from interviews.grading.bank_input import judge_input
from interviews.grading.calibration import IDENTITY, Calibration
from interviews.grading.derived import row_input
from interviews.grading.errors import JudgeError
from interviews.grading.evaluation import Agreement, agreement, bigram_cosine
from interviews.grading.offline import OfflineJudge
from interviews.grading.types import GradeResult, Judge, JudgeInput
from interviews.services.judges import llm_judge_from_settings
from questionbank.bank_files import BankFileError, QuestionSpec, read_bank

SCALE = 10  # every score is reported on 0..10


@dataclass(frozen=True)
class Item:
    question: str
    judge_input: JudgeInput
    human: float  # on 0..SCALE


class Command(BaseCommand):
    help = "Grade human-scored answers; print Pearson, Spearman, QWK and MAE next to the bigram baseline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dataset", type=Path, help="JSON lines, ADS or bank shape")
        parser.add_argument("--judge", choices=["offline", "llm"], default="offline")
        parser.add_argument("--limit", type=int, default=0, help="grade only the first N answers")
        parser.add_argument("--concurrency", type=int, default=4, help="parallel requests for the LLM judge")
        parser.add_argument(
            "--retest",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="LLM judge: grade the same answers a second time and print test-retest agreement",
        )
        parser.add_argument(
            "--fit-calibration",
            action="store_true",
            help="offline judge: fit its calibration on the dataset (ads-dev only), write calibration.json",
        )
        parser.add_argument(
            "--cross-validate",
            action="store_true",
            help="offline judge: leave-one-question-out figures (calibration fitted on the other questions)",
        )
        parser.add_argument(
            "--adversarial",
            action="store_true",
            help="instead: the offline judge on adversarial bank answers",
        )
        parser.add_argument(
            "--kinds", default="", help="with --adversarial: comma-separated kinds (default all)"
        )
        parser.add_argument(
            "--limit-questions", type=int, default=0, help="with --adversarial: first N questions"
        )

    @no_translations  # the bank's messages in English, like the rest of the command's
    def handle(
        self,
        *args: object,
        dataset: Path | None,
        judge: str,
        limit: int,
        concurrency: int,
        limit_questions: int,
        **options: object,
    ) -> None:
        if options["adversarial"]:
            _print_adversarial(
                self.stdout, judge=judge, kinds=str(options["kinds"]), limit_questions=limit_questions
            )
            return
        if dataset is None:
            raise CommandError("Give --dataset (or --adversarial).")
        items = _read_dataset(dataset)[: limit or None]
        if not items:
            raise CommandError(f"{dataset} holds no answers.")
        if options["fit_calibration"]:
            self._fit_calibration(items)
            return
        if options["cross_validate"]:
            self._cross_validate(items)
            return
        grader = _judge(judge)
        started = time.perf_counter()
        results = _grade_all(grader, items, concurrency if judge == "llm" else 1)
        seconds = time.perf_counter() - started

        graded = [(item, result) for item, result in zip(items, results, strict=True) if result is not None]
        failed = len(items) - len(graded)
        questions = sorted({item.question for item in items})
        model = next((r.model for _, r in graded), "")
        self.stdout.write(
            f"Judge {judge} ({model}) on {dataset.name}: {len(graded)} answers graded"
            + (f", {failed} failed" if failed else "")
            + f", {len(questions)} questions, scores on 0..{SCALE}, {seconds:.1f} s."
        )
        if judge == "llm":
            tokens_in = sum(r.tokens_in for _, r in graded)
            tokens_out = sum(r.tokens_out for _, r in graded)
            cost = sum((r.cost_usd for _, r in graded), Decimal(0))
            self.stdout.write(
                f"Tokens in {tokens_in}, out {tokens_out}; estimated cost ${cost:.4f} "
                f"(${cost / max(1, len(graded)):.5f} per answer)."
            )
        self.stdout.write(
            "Baseline: character-bigram cosine with the reference answers, times 10 (uncalibrated)."
        )
        header = f"{'question':<28}{'n':>5} | {'judge: Pearson':>14}{'Spearman':>9}{'QWK':>7}{'MAE':>6}"
        self.stdout.write(header + f" | {'baseline: Pearson':>17}{'Spearman':>9}{'QWK':>7}{'MAE':>6}")
        by_question: dict[str, list[tuple[Item, GradeResult]]] = defaultdict(list)
        for item, result in graded:
            by_question[item.question].append((item, result))
        for question in questions:
            self._row(question, by_question[question])
        self._row("overall", graded)
        if judge == "llm":
            # The offline judge on the very same answers, in the same run: the figure the LLM has to beat.
            offline = OfflineJudge()
            self._row("offline-judge", [(item, offline.grade(item.judge_input)) for item, _ in graded])
            if options["retest"]:
                self._retest(grader, graded, concurrency)
        self._uncertain(graded)

    def _uncertain(self, graded: list[tuple[Item, GradeResult]]) -> None:
        """Uncertain grades should be the ones that miss: their error next to the others'."""
        for label, uncertain in (("uncertain", True), ("certain", False)):
            rows = [(i, r) for i, r in graded if r.uncertain == uncertain]
            error = sum(abs(r.fraction * SCALE - i.human) for i, r in rows) / max(1, len(rows))
            self.stdout.write(f"{label}: {len(rows)} ({len(rows) / len(graded):.0%}), MAE {error:.2f}")

    def _retest(self, grader: Judge, graded: list[tuple[Item, GradeResult]], concurrency: int) -> None:
        """The same answers graded again: how far a grade depends on the draw."""
        again = _grade_all(grader, [item for item, _ in graded], concurrency)
        pairs = [(first, second) for (_, first), second in zip(graded, again, strict=True) if second]
        if not pairs:
            self.stdout.write("Test-retest: no answer was graded twice.")
            return
        figures = agreement(
            [a.fraction * SCALE for a, _ in pairs], [b.fraction * SCALE for _, b in pairs], scale=SCALE
        )
        points = [
            (x.verdict, y.verdict) for a, b in pairs for x, y in zip(a.criteria, b.criteria, strict=True)
        ]
        same = sum(x == y for x, y in points) / max(1, len(points))
        tokens = sum(b.tokens_in + b.tokens_out for _, b in pairs)
        cost = sum((b.cost_usd for _, b in pairs), Decimal(0))
        self.stdout.write(
            f"Test-retest on {len(pairs)} answers graded twice: Pearson {figures.pearson:.3f}, "
            f"QWK {figures.qwk:.3f}, MAE {figures.mae:.2f}; same verdict on {same:.0%} of the points "
            f"(second pass: {tokens} tokens, ${cost:.4f})."
        )

    def _fit_calibration(self, items: list[Item]) -> None:
        if any(not item.question.isdigit() for item in items):
            raise CommandError("Fit the calibration on the ADS development set only (ads-dev.jsonl).")
        raw = OfflineJudge(calibration=IDENTITY)
        supports = [raw.support(item.judge_input) for item in items]
        calibration = Calibration.fit_versioned(supports, [item.human / SCALE for item in items])
        calibration.save()
        self.stdout.write(
            f"Calibration {calibration.version}: {len(calibration.xs)} knots from {len(items)} answers."
        )

    def _cross_validate(self, items: list[Item]) -> None:
        """Leave one question out: calibrate on the others, grade it (the estimate for unseen questions)."""
        raw = OfflineJudge(calibration=IDENTITY)
        supports = [raw.support(item.judge_input) for item in items]
        graded: list[tuple[Item, GradeResult]] = []
        for question in sorted({item.question for item in items}):
            train = [
                (s, i.human / SCALE) for s, i in zip(supports, items, strict=True) if i.question != question
            ]
            calibration = Calibration.fit([s for s, _ in train], [h for _, h in train], version="cv")
            held_out = OfflineJudge(calibration=calibration)
            graded += [(i, held_out.grade(i.judge_input)) for i in items if i.question == question]
        self.stdout.write(
            "Leave-one-question-out (each question graded with a calibration fitted without it):"
        )
        self._row("overall", graded)
        self._uncertain(graded)

    def _row(self, label: str, rows: list[tuple[Item, GradeResult]]) -> None:
        human = [item.human for item, _ in rows]
        judged = agreement([r.fraction * SCALE for _, r in rows], human, scale=SCALE)
        baseline = agreement([_baseline(item) * SCALE for item, _ in rows], human, scale=SCALE)
        self.stdout.write(
            f"{label[:27]:<28}{len(rows):>5} | {_figures(judged, 14)} | {_figures(baseline, 17)}"
        )


def _figures(a: Agreement, first_width: int) -> str:
    return f"{a.pearson:>{first_width}.3f}{a.spearman:>9.3f}{a.qwk:>7.3f}{a.mae:>6.2f}"


def _baseline(item: Item) -> float:
    return bigram_cosine(item.judge_input.answer, "".join(item.judge_input.references))


def _grade_all(judge: Judge, items: list[Item], concurrency: int) -> list[GradeResult | None]:
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(lambda item: _grade(judge, item), items))


def _grade(judge: Judge, item: Item) -> GradeResult | None:
    try:
        return judge.grade(item.judge_input)
    except JudgeError:
        return None


def _judge(kind: str) -> Judge:
    if kind == "offline":
        return OfflineJudge()
    if not settings.OPENAI_API_KEY:
        raise CommandError(
            "Set OPENAI_API_KEY (and OPENAI_BASE_URL, OPENAI_MODEL) to evaluate the LLM judge."
        )
    return llm_judge_from_settings(max_retries=3)  # no task queue here to retry for it


def _read_dataset(path: Path) -> list[Item]:
    try:
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise CommandError(f"Cannot read {path}: {exc}") from exc
    bank: dict[str, QuestionSpec] = {}
    items = []
    for number, row in enumerate(lines, 1):
        try:
            if "q_id" in row:
                items.append(_ads_item(row))
            else:
                if not bank:
                    bank = {q.slug: q for q in read_bank().questions}
                items.append(_bank_item(row, bank))
        except (KeyError, ValueError, TypeError, BankFileError) as exc:
            raise CommandError(f"{path.name}, line {number}: {exc!r}") from exc
    return items


def _ads_item(row: dict) -> Item:
    return Item(
        question=str(row["q_id"]), judge_input=row_input(row, row["answer"]), human=float(row["score"])
    )


def _bank_item(row: dict, bank: dict[str, QuestionSpec]) -> Item:
    spec = bank[row["slug"]]
    max_score = float(row.get("max_score") or sum(c.points for c in spec.rubric))
    human = float(row["score"]) / max_score * SCALE
    return Item(question=spec.slug, judge_input=judge_input(spec, row["answer"]), human=human)


def _print_adversarial(out: OutputWrapper, *, judge: str, kinds: str, limit_questions: int) -> None:
    """A judge on the answers of interviews/grading/adversarial.py: a report, it never fails."""
    from interviews.grading import adversarial

    try:
        bank = read_bank()
        paraphrases, translations = adversarial.read_paraphrases(), adversarial.read_translations()
        wanted = adversarial.needed_kinds(kinds.split(","))
        topics_of = bank.question_topics
        cases = adversarial.build_cases(
            bank.questions, paraphrases, translations, topics_of=topics_of, kinds=wanted
        )
    except (BankFileError, OSError, ValueError) as exc:
        raise CommandError(f"Cannot build the adversarial answers: {exc}") from exc
    chosen = {q.slug for q in bank.questions[: limit_questions or None]}
    cases = [case for case in cases if case.slug in chosen]
    started = time.perf_counter()
    graded = adversarial.grade_cases(cases, bank.questions, _judge(judge))
    version = next((g.judge_version for g in graded if g.judge_version), "?")
    out.write(
        f"Adversarial answers, {judge} judge {version}: {len(graded)} answers to {len(chosen)} questions, "
        f"% of max per kind, {time.perf_counter() - started:.1f} s."
    )
    for line in adversarial.report_lines(adversarial.report(graded)):
        out.write(line)
