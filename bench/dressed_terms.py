"""Rubric terms dressed as sentences: does the offline judge see that nothing is said of them?

    OPENBLAS_NUM_THREADS=1 uv run python bench/dressed_terms.py

Frames: "X 是关键。", "关于 X，这是一个非常重要的概念，需要认真理解。", "X 和 Y 有关系。", and eight
short ones in turn (FRAMES).

The adversarial set's keyword answer is a bare list of the accepted terms, which the judge gives nothing. A
tester can put each term in a sentence that says nothing of it ("X 是关键。"), in one frame or several. This
builds such answers for every bank question, from all its terms or from the first term of each point, grades
them against their own question and prints the mean and the highest % of max. For comparison it also grades
the rubric points' own descriptions (which state the claims, so they should score high) and two answers that
say nothing (the question repeated; "I don't know"), and the reference taken back by "以上说法全部是错误的。".
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FRAMES = (
    "{}是关键。",
    "{}很重要。",
    "要注意{}。",
    "{}是核心。",
    "其中{}不可忽视。",
    "{}起作用。",
    "另外还有{}。",
    "{}必须考虑。",
)


def _varied(terms: list[str], count: int) -> str:
    return "".join(FRAMES[i % count].format(t) for i, t in enumerate(terms))


def _answers() -> dict[str, Callable[[object], str]]:
    def terms(question: object) -> list[str]:
        return [t for c in question.rubric for t in c.terms]  # type: ignore[attr-defined]

    def first_terms(question: object) -> list[str]:
        return [c.terms[0] for c in question.rubric if c.terms]  # type: ignore[attr-defined]

    return {
        "every term, one short frame": lambda q: _varied(terms(q), 1),
        "every term, one long frame": lambda q: "".join(
            f"关于{t}，这是一个非常重要的概念，需要认真理解。" for t in terms(q)
        ),
        "terms two by two, one frame": lambda q: "".join(
            f"{a}和{b}有关系。" for a, b in zip(terms(q), terms(q)[1:], strict=False)
        ),
        "every term, four frames in turn": lambda q: _varied(terms(q), 4),
        "every term, eight frames in turn": lambda q: _varied(terms(q), 8),
        "first term of each point, one frame": lambda q: _varied(first_terms(q), 1),
        "first term of each point, eight frames": lambda q: _varied(first_terms(q), 8),
        "the points' descriptions (for comparison)": lambda q: (
            "。".join(
                c.description
                for c in q.rubric  # type: ignore[attr-defined]
            )
            + "。"
        ),
        "the question three times": lambda q: (q.prompt + " 我觉得这个问题很重要。") * 3,  # type: ignore[attr-defined]
        "I don't know": lambda q: "这个问题我不太清楚，没有学过，抱歉。",
        'the reference, then "all of the above is wrong"': lambda q: (
            q.reference_answer  # type: ignore[attr-defined]
            + "\n\n以上说法全部是错误的。"
        ),
    }


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from bench.bank_grader import BankGrader

    grader = BankGrader()
    questions = grader.questions
    version = grader.judge.version
    print(f"Offline judge {version}: terms dressed as sentences, {len(questions)} questions, % of max")
    print(f"{'':46}{'mean':>7}{'highest':>9}")
    for name, build in _answers().items():
        scores = [grader.percent(question, build(question)) for question in questions]
        print(f"{name:46}{sum(scores) / len(scores):>7.1f}{max(scores):>9.1f}")


if __name__ == "__main__":
    main()
