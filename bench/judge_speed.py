"""Offline judge speed: bank-length answers graded per second on one thread (one core).

    OPENBLAS_NUM_THREADS=1 uv run python bench/judge_speed.py [--answers N]

The answers are the bank's reference answers (read from questionbank/data/*.yaml directly), graded against
their own question; the model is loaded and warmed up before timing. Prints answers per second, mean answer
length and the process memory (RSS) the model and caches add.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")


def _rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--answers", type=int, default=200, help="answers to grade")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from interviews.grading import semantic
    from interviews.grading.offline import OfflineJudge
    from interviews.grading.types import CriterionInput, JudgeInput

    inputs = []
    for path in sorted((ROOT / "questionbank" / "data").glob("*.yaml")):
        for q in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("questions", []):
            criteria = tuple(
                CriterionInput(f"c{i}", c["description"], c["points"], tuple(c.get("terms") or ()))
                for i, c in enumerate(q["rubric"], 1)
            )
            inputs.append(JudgeInput(q["prompt"], q["reference_answer"], criteria, q["reference_answer"]))
    answers = (inputs * (args.answers // max(1, len(inputs)) + 1))[: args.answers]
    before = _rss_mb()
    semantic.load()
    judge = OfflineJudge()
    for judge_input in inputs:  # warm the per-question caches, as a long-running worker has them
        judge.grade(judge_input)
    memory = _rss_mb() - before
    started = time.perf_counter()
    for judge_input in answers:
        judge.grade(judge_input)
    seconds = time.perf_counter() - started
    length = sum(len(a.answer) for a in answers) / len(answers)
    print(
        f"The offline judge ({judge.version}) grades {len(answers) / seconds:.1f} bank-length answers/s "
        f"on one thread (mean {length:.0f} characters); model and caches add {memory:.0f} MB RSS."
    )


if __name__ == "__main__":
    main()
