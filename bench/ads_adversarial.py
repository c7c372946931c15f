"""The adversarial kinds on questions the bank does not have: the 11 questions of ads-dev.

    OPENBLAS_NUM_THREADS=1 uv run python bench/ads_adversarial.py [--dataset PATH] [--seeds N]

`evaluate_judge --adversarial` builds its answers on the bank's questions, whose rubrics were written by hand
(claims as accepted terms, misconceptions). Questions the judge meets later look like ads-dev's instead: data
structures, not language models, and a rubric derived from the reference answers (`derived.py`), as
`evaluate_judge --dataset` grades them. This builds the same kinds from the first reference of each question
of PATH (default: ../shared/judge-data/ads-dev.jsonl), with the same generators, grades them against that
question's references and derived points, and prints the adversarial report with the bank's thresholds.
"keywords" lists the derived points' terms; "other" takes the next question's reference (by q_id, the last
takes the first's): every pair is of one field, as two questions of one interview are.

One seeded draw of a shuffle can be lucky or unlucky for a question: --seeds N grades N draws of each random
kind (shuffled, shuffled_in_sentences, filler) and reports their mean; a flag counts if every draw has it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interviews.grading.types import CriterionInput

ROOT = Path(__file__).resolve().parent.parent
KINDS = (
    "reference",
    "keywords",
    "swapped",
    "negated",
    "negated_once",
    "half_wrong",
    "shuffled",
    "shuffled_in_sentences",
    "filler",
    "other",
)
RANDOM_KINDS = ("shuffled", "shuffled_in_sentences", "filler")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", type=Path, default=ROOT.parent / "shared/judge-data/ads-dev.jsonl")
    parser.add_argument("--seeds", type=int, default=1, help="draws of each random kind per question")
    args = parser.parse_args()
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    sys.path.insert(0, str(ROOT))
    from bench.bank_grader import BankGrader

    judge = BankGrader().judge
    from interviews.grading import adversarial
    from interviews.grading.derived import row_input

    questions: dict[str, dict] = {}
    for line in args.dataset.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            questions.setdefault(str(row["q_id"]), row)
    ids = sorted(questions)
    graded = []
    for n, q_id in enumerate(ids):
        row = questions[q_id]
        question = row_input(row, "")
        criteria, reference = question.criteria, question.reference

        other = questions[ids[(n + 1) % len(ids)]]["reference1"]
        for kind in KINDS:
            draws = args.seeds if kind in RANDOM_KINDS else 1
            answers = [_answer(kind, reference, criteria, other, _rng(q_id, kind, s)) for s in range(draws)]
            results = [judge.grade(row_input(row, answer)) for answer in answers]
            case = adversarial.Case(kind, f"ads-{q_id}", answers[0], adversarial.CHECKS[kind])
            flags = set.intersection(*(set(map(str, r.flags)) for r in results))
            percent = 100 * sum(r.fraction for r in results) / draws
            graded.append(adversarial.Graded(case, percent, tuple(sorted(flags)), results[0].judge_version))
    print(
        f"Adversarial kinds on the {len(ids)} questions of {args.dataset.name} (rubric derived from the "
        f"references), offline judge {graded[0].judge_version}, % of max"
        + (f" (random kinds: mean of {args.seeds} draws):" if args.seeds > 1 else ":")
    )
    for line in adversarial.report_lines(adversarial.report(graded)):
        print(line)


def _rng(q_id: str, kind: str, seed: int) -> random.Random:
    """Draw 0 is the one earlier runs made, so that --seeds 1 prints the same table as before."""
    name = "in_sentences" if kind == "shuffled_in_sentences" else kind
    return random.Random(f"ads:{q_id}:{name}" + (f":{seed}" if seed else ""))


def _answer(
    kind: str, reference: str, criteria: tuple[CriterionInput, ...], other: str, rng: random.Random
) -> str:
    from interviews.grading import adversarial, rewrites

    if kind == "reference":
        return reference
    if kind == "keywords":
        return rewrites.keyword_list((t for c in criteria for t in c.terms), "zh")
    if kind == "other":
        return other
    made = adversarial.rewritten(kind, reference, rng)
    assert made is not None, kind
    return made


if __name__ == "__main__":
    main()
