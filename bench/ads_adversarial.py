"""The adversarial kinds on questions the bank does not have: the 11 questions of ads-dev.

    OPENBLAS_NUM_THREADS=1 uv run python bench/ads_adversarial.py [--dataset PATH]

`evaluate_judge --adversarial` builds its answers on the bank's questions, whose rubrics were written by hand
(claims as accepted terms, misconceptions). Questions the judge meets later look like ads-dev's instead: data
structures, not language models, and a rubric derived from the reference answers (`derived.py`), as
`evaluate_judge --dataset` grades them. This builds the same kinds from the first reference of each question
of PATH (default: ../shared/judge-data/ads-dev.jsonl), with the same generators, grades them against that
question's references and derived points, and prints the adversarial report with the bank's thresholds.
"keywords" lists the derived points' terms; "other" takes the next question's reference (by q_id, the last
takes the first's): every pair is of one field, as two questions of one interview are.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", type=Path, default=ROOT.parent / "shared/judge-data/ads-dev.jsonl")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.bank_grader import BankGrader

    judge = BankGrader().judge
    from interviews.grading import adversarial
    from interviews.grading.derived import criteria_from_references
    from interviews.grading.types import JudgeInput

    questions: dict[str, dict] = {}
    for line in args.dataset.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            questions.setdefault(str(row["q_id"]), row)
    ids = sorted(questions)
    graded = []
    for n, q_id in enumerate(ids):
        row = questions[q_id]
        references = tuple(r for r in (row.get(f"reference{i}", "") for i in (1, 2, 3)) if r.strip())
        criteria = criteria_from_references(references)
        reference = references[0]

        def rng(kind: str, q_id: str = q_id) -> random.Random:
            return random.Random(f"ads:{q_id}:{kind}")

        answers = {
            "reference": reference,
            "keywords": adversarial.keyword_list((t for c in criteria for t in c.terms), "zh"),
            "swapped": adversarial.swapped(reference),
            "negated": adversarial.negated(reference),
            "negated_once": adversarial.negated_once(reference),
            "half_wrong": adversarial.half_wrong(reference),
            "shuffled": adversarial.shuffled(reference, rng("shuffled")),
            "shuffled_in_sentences": adversarial.shuffled_in_sentences(reference, rng("in_sentences")),
            "filler": adversarial.padded(reference, rng("filler"), "zh"),
            "other": questions[ids[(n + 1) % len(ids)]]["reference1"],
        }
        for kind in KINDS:
            judge_input = JudgeInput(
                question=row["question"],
                reference=reference,
                extra_references=references[1:],
                criteria=criteria,
                answer=answers[kind],
            )
            result = judge.grade(judge_input)
            case = adversarial.Case(kind, f"ads-{q_id}", answers[kind], adversarial.CHECKS[kind])
            flags = tuple(str(f) for f in result.flags)
            graded.append(adversarial.Graded(case, 100 * result.fraction, flags, result.judge_version))
    print(
        f"Adversarial kinds on the {len(ids)} questions of {args.dataset.name} (rubric derived from the "
        f"references), offline judge {graded[0].judge_version}, % of max:"
    )
    for line in adversarial.report_lines(adversarial.report(graded)):
        print(line)


if __name__ == "__main__":
    main()
