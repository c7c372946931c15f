"""Measuring a judge against human scores, and the character-bigram baseline."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from interviews.grading.text import compact


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    n = len(xs)
    if n < 2:
        return float("nan")
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    return sxy / (sx * sy) if sx and sy else float("nan")


def _ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    return pearson(_ranks(xs), _ranks(ys))


def quadratic_weighted_kappa(a: Sequence[int], b: Sequence[int], *, low: int, high: int) -> float:
    """Cohen's kappa with quadratic weights between two integer ratings on the scale low..high."""
    k = high - low + 1
    n = len(a)
    if n == 0:
        return float("nan")
    observed = [[0.0] * k for _ in range(k)]
    for x, y in zip(a, b, strict=True):
        observed[x - low][y - low] += 1
    hist_a = [sum(row) for row in observed]
    hist_b = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            weight = (i - j) ** 2 / (k - 1) ** 2
            num += weight * observed[i][j]
            den += weight * hist_a[i] * hist_b[j] / n
    return 1.0 - num / den if den else float("nan")


def mean_absolute_error(xs: Sequence[float], ys: Sequence[float]) -> float:
    return sum(abs(x - y) for x, y in zip(xs, ys, strict=True)) / len(xs) if xs else float("nan")


def bigram_cosine(answer: str, reference: str) -> float:
    """Cosine of character-bigram counts (spaces and punctuation removed): the usual lexical baseline."""
    a, b = _bigrams(answer), _bigrams(reference)
    if not a or not b:
        return 0.0
    dot = sum(count * b[gram] for gram, count in a.items())
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def _bigrams(text: str) -> Counter[str]:
    chars = compact(text)
    return Counter(chars[i : i + 2] for i in range(len(chars) - 1))


@dataclass(frozen=True)
class Agreement:
    """How a judge's scores agree with human scores on one scale (0..scale)."""

    n: int
    pearson: float
    spearman: float
    qwk: float
    mae: float


def agreement(predicted: Sequence[float], human: Sequence[float], *, scale: int) -> Agreement:
    """Kappa needs whole marks: both sides are rounded and clipped to 0..scale for it."""

    def marks(values: Sequence[float]) -> list[int]:
        return [min(scale, max(0, round(v))) for v in values]

    return Agreement(
        n=len(predicted),
        pearson=pearson(predicted, human),
        spearman=spearman(predicted, human),
        qwk=quadratic_weighted_kappa(marks(predicted), marks(human), low=0, high=scale),
        mae=mean_absolute_error(predicted, human),
    )
