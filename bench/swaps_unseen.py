"""Swapped facts the offline judge has no list entry for: does it still see the contradiction?

    OPENBLAS_NUM_THREADS=1 uv run python bench/swaps_unseen.py

The adversarial set swaps words from its own table (`rewrites.ZH_SWAPS`); many of those pairs are
also in the judge's antonym list, so its "swapped" row partly measures the list against itself. This takes
every whole sentence of every bank reference that holds a word of that table, swaps the first such word (as
the adversarial set does), and asks the judge whether the swapped sentence contradicts its reference
(`_wrong_units`, the check a graded answer goes through). It prints the share caught, split by whether the
judge's antonym list holds the pair ("listed") or not ("unlisted": caught only by general rules, opposite
morphemes and concepts put in another's place), the figure to read for swaps an unknown test set makes.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from interviews.grading import rewrites, semantic
    from interviews.grading.bank_input import judge_input
    from interviews.grading.clauses import units
    from interviews.grading.contradiction import ANTONYMS
    from interviews.grading.offline import OfflineJudge
    from interviews.grading.prepared import prepare, reference_points
    from interviews.grading.statements import unit_vectors, wrong_units
    from questionbank.bank_files import read_bank

    semantic.embed = semantic.embed_cached  # each sentence comes back once per swap: embed it once
    listed = {frozenset(pair) for pair in ANTONYMS}
    judge = OfflineJudge()
    caught: Counter[tuple[str, bool]] = Counter()
    missed_pairs: Counter[str] = Counter()
    for question in read_bank().questions:
        graded = judge_input(question, question.reference_answer)
        reference, criteria = reference_points(graded)[0]
        prepared = prepare(graded.question, reference, criteria)
        for unit in units(question.reference_answer):
            word = next((w for w in rewrites.ZH_SWAPS if len(w) > 1 and w in unit.text), None)
            if not unit.whole or word is None:
                continue
            opposite = rewrites.ZH_SWAPS[word]
            changed = unit.text.replace(word, opposite, 1)
            said = list(units(changed))
            wrong = bool(wrong_units([prepared], said, unit_vectors(said), judge.knobs))
            group = "listed" if frozenset((word, opposite)) in listed else "unlisted"
            caught[(group, wrong)] += 1
            if group == "unlisted" and not wrong:
                missed_pairs[f"{word}→{opposite}"] += 1
    print(f"Offline judge {judge.version}: one swap-table word swapped per reference sentence.")
    for group in ("listed", "unlisted"):
        total = caught[(group, True)] + caught[(group, False)]
        share = caught[(group, True)] / total if total else 0.0
        print(f"  {group:8s} pairs: {total:4d} sentences, contradiction seen in {share:.0%}")
    missed = ", ".join(f"{pair} ({n})" for pair, n in missed_pairs.most_common(8))
    print(f"  unlisted swaps most often missed: {missed}")


if __name__ == "__main__":
    main()
