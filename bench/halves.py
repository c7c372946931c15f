"""Half a reference earns about half: each reference answer split into its first and second half (by
sentences, by clauses for a one-sentence reference), both graded against the whole question.

    OPENBLAS_NUM_THREADS=1 uv run python bench/halves.py [--dataset PATH]

Each half states only its own points; a judge that lets a statement meet points it does not state gives
each half nearly full marks. Prints, for the bank (hand-written rubrics) and for ads-dev (points derived
from the references), the mean % of max of each half, the mean of their sum (100 % when the points split
cleanly; more where a reference says a thing twice, as the bank's summaries do) and how many questions
sum over 130 %.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", type=Path, default=ROOT.parent / "shared/judge-data/ads-dev.jsonl")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.bank_grader import BankGrader

    grader = BankGrader()
    from interviews.grading.bank_input import judge_input
    from interviews.grading.derived import row_input

    bank = [(q.reference_answer, lambda answer, q=q: judge_input(q, answer)) for q in grader.questions]
    lines = args.dataset.read_text(encoding="utf-8").splitlines()
    rows = {str(r["q_id"]): r for r in reversed([json.loads(line) for line in lines if line.strip()])}
    ads = [(row["reference1"], lambda answer, row=row: row_input(row, answer)) for row in rows.values()]

    print(f"Reference halves, offline judge {grader.judge.version}, % of max:")
    print(f"{'questions':24} {'n':>4} {'first half':>11} {'second half':>12} {'sum':>6} {'sum > 130':>10}")
    for name, questions in (("bank", bank), (args.dataset.name, ads)):
        halves = [_halves(grader.judge, reference, to_input) for reference, to_input in questions]
        first, second = [a for a, _ in halves], [b for _, b in halves]
        sums = [a + b for a, b in halves]
        print(
            f"{name:24} {len(sums):>4} {statistics.mean(first):>11.1f} {statistics.mean(second):>12.1f} "
            f"{statistics.mean(sums):>6.1f} {sum(s > 130 for s in sums):>10}"
        )


def _halves(judge: object, reference: str, to_input: Callable[[str], object]) -> tuple[float, float]:
    from interviews.grading import rewrites

    parts = rewrites.sentences(reference)
    if len(parts) < 2:
        parts = rewrites.clauses(reference)
    middle = max(1, len(parts) // 2)
    return _percent(judge, to_input, parts[:middle]), _percent(judge, to_input, parts[middle:])


def _percent(judge: object, to_input: Callable[[str], object], parts: Iterable[str]) -> float:
    judge_input = to_input("\n".join(parts))
    result = judge.grade(judge_input)  # type: ignore[attr-defined]
    return float(result.score / judge_input.max_score) * 100  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
