"""Off topic on every pair: each bank reference graded by the offline judge against every other bank question.

    OPENBLAS_NUM_THREADS=1 uv run python bench/off_topic_pairs.py [--show N]

The adversarial set (`evaluate_judge --adversarial`) takes one other question's reference per question; this
takes all of them (97 × 96 on the current bank), split into pairs whose questions share a topic and pairs
that share none, and prints per split the share flagged off topic, the mean % of max and how many pairs earn
more than 10 %, then the N worst pairs. Each answer's statements are embedded once (the answer comes back 96
times), so the run takes about a minute and a half on one core.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--show", type=int, default=10, help="worst unflagged pairs to list")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from interviews.grading import semantic
    from interviews.grading.bank_input import judge_input
    from interviews.grading.offline import OfflineJudge
    from interviews.grading.types import Flag
    from questionbank.bank_files import read_bank

    # Every answer here is a bank reference, graded 96 times: embed its statements once, through the cache the
    # judge keeps for reference texts.
    semantic.embed = semantic.embed_cached
    bank = read_bank()
    topics = {slug: set(names) for slug, names in bank.question_topics.items()}
    judge = OfflineJudge()
    rows = []
    for question in bank.questions:
        for other in bank.questions:
            if other.slug != question.slug:
                result = judge.grade(judge_input(question, other.reference_answer))
                flagged = str(Flag.OFF_TOPIC) in result.flags
                shared = bool(topics[question.slug] & topics[other.slug])
                rows.append((question.slug, other.slug, shared, result, flagged))
    print(
        f"Offline judge {judge.version}: {len(rows)} pairs, a bank reference graded against another question."
    )
    for same, label in ((False, "no topic in common"), (True, "a topic in common")):
        chosen = [r for r in rows if r[2] == same]
        if chosen:
            percents = [float(r[3].fraction) * 100 for r in chosen]
            share_flagged = sum(r[4] for r in chosen) / len(chosen)
            mean, above = sum(percents) / len(percents), sum(p > 10 for p in percents)
            print(
                f"  {label}: {len(chosen)} pairs, flagged off topic {share_flagged:.1%}, "
                f"mean {mean:.1f} % of max, above 10 %: {above}"
            )
    worst = sorted((r for r in rows if not r[4]), key=lambda r: -r[3].fraction)[: args.show]
    for slug, answered_with, shared, result, _ in worst:
        note = " (a topic in common)" if shared else ""
        print(f"  {float(result.fraction) * 100:5.1f} %  {slug} ← {answered_with}{note}")


if __name__ == "__main__":
    main()
