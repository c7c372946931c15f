"""Word salad the adversarial set does not make: does the offline judge still give it nothing?

    OPENBLAS_NUM_THREADS=1 uv run python bench/salad_unseen.py

The adversarial set scrambles references two ways (`shuffled`, `shuffled_in_sentences`), and the judge's salad
rules were measured on those. This scrambles every bank reference six other ways, each piece (a sentence, or a
clause cut at commas, colons and semicolons) on its own with punctuation between pieces kept, grades each
answer against its own question, and prints the mean % of max per way, next to the reference itself. English
references are scrambled the same way, their words joined by spaces, and graded in English. Swapping a
clause's halves keeps most phrases whole: it reads as phrases in another order rather than salad, shown for
comparison.
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_SENTENCE = re.compile(r"([。！？!?\n]+|(?<=[.])\s+)")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CLAUSE = re.compile(r"([，,：:；;。！？!?\n]+|(?<=[.])\s+)")


def _per_piece(text: str, splitter: re.Pattern[str], change: Callable[[str], str]) -> str:
    parts = splitter.split(text)
    # re.split with a group alternates pieces (even) and the separators between them (odd).
    return "".join(change(p) if i % 2 == 0 and p.strip() else p for i, p in enumerate(parts))


def _ways(rng: random.Random) -> dict[str, tuple[re.Pattern[str], Callable[[str], str]]]:
    import jieba

    def words(piece: str) -> tuple[list[str], str]:
        """The piece's words, and what joins them: a space in English, nothing in Chinese."""
        english = _HAN.search(piece) is None
        return [t for t in jieba.lcut(piece) if t.strip()], " " if english else ""

    def shuffled(piece: str) -> str:
        tokens, joint = words(piece)
        rng.shuffle(tokens)
        return joint.join(tokens)

    def spaced(piece: str) -> str:
        tokens, _ = words(piece)
        rng.shuffle(tokens)
        return " ".join(tokens)

    def pairs(piece: str) -> str:
        chunks = [piece[i : i + 2] for i in range(0, len(piece), 2)]
        rng.shuffle(chunks)
        return "".join(chunks)

    def reversed_words(piece: str) -> str:
        tokens, joint = words(piece)
        return joint.join(reversed(tokens))

    def halves_swapped(piece: str) -> str:
        tokens, joint = words(piece)
        half = len(tokens) // 2
        return joint.join(tokens[half:] + tokens[:half])

    return {
        "words shuffled in each clause": (_CLAUSE, shuffled),
        "words shuffled in each sentence, spaced": (_SENTENCE, spaced),
        "character pairs shuffled in each sentence": (_SENTENCE, pairs),
        "character pairs shuffled in each clause": (_CLAUSE, pairs),
        "each sentence's words reversed": (_SENTENCE, reversed_words),
        "each clause's halves swapped (for comparison)": (_CLAUSE, halves_swapped),
    }


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from bench.bank_grader import BankGrader

    grader = BankGrader()
    scores: dict[str, dict[str, list[float]]] = {"zh": {}, "en": {}}
    for question in grader.questions:
        for language, reference in (("zh", question.reference_answer), ("en", question.reference_answer_en)):
            if not reference:
                continue
            rng = random.Random(f"{question.slug}/{language}")
            answers = {"the reference itself": reference} | {
                name: _per_piece(reference, splitter, change)
                for name, (splitter, change) in _ways(rng).items()
            }
            for name, answer in answers.items():
                scores[language].setdefault(name, []).append(grader.percent(question, answer))
    version = grader.judge.version
    print(f"Offline judge {version}: references scrambled in ways the adversarial set does not, % of max")
    print(f"{'':44}{'Chinese':>10}{'English':>10}")
    for name in scores["zh"]:
        cells = [scores[lang].get(name, []) for lang in ("zh", "en")]
        figures = "".join(f"{sum(c) / len(c):>8.1f}{'':2}" if c else f"{'-':>10}" for c in cells)
        print(f"{name:44}{figures}   (n = {len(cells[0])} / {len(cells[1])})")


if __name__ == "__main__":
    main()
