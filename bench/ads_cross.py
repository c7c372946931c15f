"""Off topic on people's answers: every ads-dev answer that its graders scored 6 or more, graded against its
own question and against each of the other questions.

    OPENBLAS_NUM_THREADS=1 uv run python bench/ads_cross.py [--dataset PATH] [--show N]

`bench/ads_adversarial.py` gives each question one other question's reference answer; these are the
answers candidates wrote, 888 of them, each given to the 10 other questions (about a minute on one core). A
real answer given to another question is what the off-topic rule is for, and the same answer on its own
question is what it must leave alone. Prints, per question the answers are given to: the share flagged off
topic, the mean % of max and how many earn more than 10 %; then the answers flagged on their own question
(false alarms) and the N other-question grades that earn most.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD = 6  # people's score (0..10) from which an answer is a real answer to its question


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", type=Path, default=ROOT.parent / "shared/judge-data/ads-dev.jsonl")
    parser.add_argument("--show", type=int, default=10, help="highest other-question grades to list")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.bank_grader import BankGrader

    judge = BankGrader().judge
    from interviews.grading.derived import row_input
    from interviews.grading.types import Flag

    lines = args.dataset.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    questions = {str(r["q_id"]): r for r in reversed(rows)}

    def grade(q_id: str, answer: str) -> tuple[float, bool]:
        result = judge.grade(row_input(questions[q_id], answer))
        return 100 * result.fraction, Flag.OFF_TOPIC in result.flags

    answers = [r for r in rows if float(r["score"]) >= GOOD and r["answer"].strip()]
    own_flagged: list[tuple[str, str]] = []
    given: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    highest: list[tuple[float, str, str, str]] = []
    for row in answers:
        own = str(row["q_id"])
        if grade(own, row["answer"])[1]:
            own_flagged.append((own, row["answer"]))
        for q_id in sorted(questions):
            if q_id != own:
                percent, flagged = grade(q_id, row["answer"])
                given[q_id].append((percent, flagged))
                if not flagged:
                    highest.append((percent, q_id, own, row["answer"]))

    print(
        f"{len(answers)} answers of {args.dataset.name} scored {GOOD} or more, each given to the "
        f"{len(questions) - 1} other questions; offline judge {judge.version}"
    )
    print(f"{'given to':10} {'answers':>8} {'flagged':>8} {'mean %':>7} {'> 10 %':>7}")
    for q_id, grades in [*sorted(given.items()), ("all", [g for gs in given.values() for g in gs])]:
        off_topic = sum(1 for _, f in grades if f)
        mean = sum(p for p, _ in grades) / len(grades)
        over = sum(p > 10 for p, _ in grades)
        print(f"{q_id:10} {len(grades):8} {100 * off_topic / len(grades):7.1f}% {mean:7.1f} {over:7}")
    print(f"Flagged off topic on their own question: {len(own_flagged)} of {len(answers)}")
    for q_id, answer in own_flagged:
        print(f"  {q_id}: {_line(answer)}")
    print(f"The {args.show} highest grades on another question (unflagged):")
    for percent, q_id, own, answer in sorted(highest, reverse=True)[: args.show]:
        print(f"  {percent:5.1f}% on {q_id}, written for {own}: {_line(answer)}")


def _line(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


if __name__ == "__main__":
    main()
