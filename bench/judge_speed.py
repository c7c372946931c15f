"""Offline judge speed: bank-length answers graded per second on one thread (one core).

    OPENBLAS_NUM_THREADS=1 uv run python bench/judge_speed.py [--answers N]

The answers are the bank's reference answers (read from the bank files, no database), graded against
their own question; the model is loaded and warmed up before timing. Prints answers per second of CPU time
(one thread: one core's rate), mean answer length and the process memory (RSS) the model and caches add; the
hand-written paraphrases and translations of tests/data graded first on a fresh process (nothing cached) and
again once warm; beside it, in the same run, the word-overlap judge it replaced (read from git history at
LEGACY_COMMIT, when this is a git checkout).
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")


# The last commit with the word-overlap judge (interviews/grading/reference.py), for the side-by-side figure.
LEGACY_COMMIT = "00c738c"
LEGACY_MODULES = ("types", "text", "injection", "reference")


def _legacy_judge() -> object | None:
    """The word-overlap judge as it was at LEGACY_COMMIT, loaded from git into a temporary package."""
    folder = Path(tempfile.mkdtemp(prefix="legacy-judge-")) / "legacy_grading"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    for name in LEGACY_MODULES:
        shown = subprocess.run(
            ["git", "show", f"{LEGACY_COMMIT}:interviews/grading/{name}.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if shown.returncode:
            return None
        (folder / f"{name}.py").write_text(shown.stdout.replace("interviews.grading.", "legacy_grading."))
    sys.path.insert(0, str(folder.parent))
    return importlib.import_module("legacy_grading.reference").ReferenceJudge()


def _per_second(grade: object, answers: list) -> float:
    """Answers per second of the process's CPU time: on one thread, the rate of one core, which other
    programs on a busy machine do not change the way they change the wall clock."""
    started = time.process_time()
    for judge_input in answers:
        grade(judge_input)  # type: ignore[operator]
    return len(answers) / (time.process_time() - started)


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
    from interviews.grading.adversarial import read_paraphrases, read_translations
    from interviews.grading.bank_input import judge_input
    from interviews.grading.offline import OfflineJudge
    from questionbank.bank_files import read_bank

    questions = {q.slug: q for q in read_bank().questions}
    inputs = [judge_input(q, q.reference_answer) for q in questions.values()]
    answers = (inputs * (args.answers // max(1, len(inputs)) + 1))[: args.answers]
    # Hand-written answers (tests/data), not the reference text: on a fresh process the first grade of a
    # question also prepares it, and their tokens are new to the encoder's table.
    own_words = [judge_input(questions[s], a) for s, a in read_paraphrases().items() if s in questions]
    own_words += [
        judge_input(questions[s], text)
        for s, pair in read_translations().items()
        if s in questions
        for text in pair
    ]
    before = _rss_mb()
    semantic.load()
    judge = OfflineJudge()
    cold = _per_second(judge.grade, own_words)
    for warm_up in inputs:  # warm the per-question caches, as a long-running worker has them
        judge.grade(warm_up)
    memory = _rss_mb() - before
    rate = _per_second(judge.grade, answers)
    warm = _per_second(judge.grade, own_words)
    length = sum(len(a.answer) for a in answers) / len(answers)
    own_length = sum(len(a.answer) for a in own_words) / len(own_words)
    print(
        f"The offline judge ({judge.version}) grades {rate:.1f} bank-length answers/s "
        f"on one thread (mean {length:.0f} characters); model and caches add {memory:.0f} MB RSS."
    )
    print(
        f"{len(own_words)} hand-written answers (mean {own_length:.0f} characters): {cold:.1f}/s as the "
        f"first grades of a fresh process (questions prepared, tokens new to the table), "
        f"{warm:.1f}/s once warm."
    )
    legacy = _legacy_judge()
    if legacy is None:
        print(f"(No git history with {LEGACY_COMMIT}: the word-overlap judge is not measured beside it.)")
        return
    legacy_module = sys.modules["legacy_grading.types"]
    legacy_input, legacy_criterion = legacy_module.JudgeInput, legacy_module.CriterionInput
    legacy_answers = [
        legacy_input(
            a.question,
            a.reference,
            tuple(legacy_criterion(c.id, c.description, c.points, c.terms) for c in a.criteria),
            a.answer,
        )
        for a in answers
    ]
    legacy_rate = _per_second(legacy.grade, legacy_answers)  # type: ignore[attr-defined]
    print(
        f"The word-overlap judge it replaced ({LEGACY_COMMIT}) grades {legacy_rate:.1f} of the same "
        "answers/s: "
        f"the new judge takes {legacy_rate / rate:.1f}x as long per answer."
    )


if __name__ == "__main__":
    main()
