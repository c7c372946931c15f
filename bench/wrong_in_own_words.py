"""Wrong answers in a candidate's own words: does the offline judge report the misconceptions they state?

    OPENBLAS_NUM_THREADS=1 uv run python bench/wrong_in_own_words.py [--answers PATH] [--show N]

tests/data/wrong_answers.yaml holds one answer per bank question (Chinese, and English for a third of them),
each partly right and stating one or two of the question's misconceptions in its own words. They were written
blind: from each question's prompt, key points and wrong claims only, by a writer who never saw the bank's
phrasings, and the phrasings were not tuned to them. Prints, per language, how many of the stated wrong claims
the judge reports, how many answers it reports any of them in, other misconceptions it reports, and the mean
% of max; then the first N stated claims it missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--answers", type=Path, default=ROOT / "tests/data/wrong_answers.yaml")
    parser.add_argument("--show", type=int, default=0, help="print this many missed claims")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.bank_grader import BankGrader
    from interviews.grading.bank_input import judge_input

    grader = BankGrader()
    questions = {q.slug: q for q in grader.questions}
    rows = yaml.safe_load(args.answers.read_text(encoding="utf-8"))
    figures: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    missed: list[str] = []
    for row in rows:
        question = questions[row["slug"]]
        graded = judge_input(question, row["answer"])
        result = grader.judge.grade(graded)
        english = graded.language == "en"
        claims = [m.claim_en if english else m.claim for m in question.misconceptions]
        stated = {claims[n - 1] for n in row["states"]}
        reported = set(result.misconceptions)
        seen = figures[row["language"]]
        seen["claims"] += [claim in reported for claim in stated]
        seen["answers"].append(bool(stated & reported))
        seen["others"].append(len(reported - stated))
        seen["score"].append(100 * result.fraction)
        missed += [f"{row['slug']} ({row['language']}): {claim}" for claim in stated - reported]
    print(
        f"Offline judge {grader.judge.version}, wrong answers in candidates' own words ({args.answers.name}):"
    )
    print("language  answers  claims reported  answers caught   others  mean %")
    for language, seen in sorted(figures.items()):
        claims, answers = seen["claims"], seen["answers"]
        share = f"{sum(claims)}/{len(claims)} ({100 * statistics.mean(claims):.0f} %)"
        caught = f"{sum(answers)}/{len(answers)}"
        others, mean = int(sum(seen["others"])), statistics.mean(seen["score"])
        print(f"{language:9} {len(answers):7} {share:>16} {caught:>15} {others:7} {mean:7.1f}")
    for line in missed[: args.show]:
        print("  missed:", line)


if __name__ == "__main__":
    main()
