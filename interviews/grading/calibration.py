"""Monotone calibration of a rubric point's support score onto the human scale (isotonic regression).

Design: a point's support (0..1, from lexical and semantic evidence) is not a probability of a human giving
the
point. The mapping is fitted at answer level on human-graded answers (ads-dev): x = an answer's mean
support over its points, y = the human score as a share of the maximum, with pool-adjacent-violators. It is
then applied to each
point's support before the support is cut into met / partial / missed, so the total stays the sum of the
points of
the verdicts. The fitted knots are data (calibration.json, with a version), refitted by
`manage.py evaluate_judge --fit-calibration`.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


# A step of the fit stands for at least this share of the answers: a handful of answers at one support level
# is noise (on ads-dev, six weak answers people happened to grade well lifted every weak point to "partial").
MIN_BLOCK_SHARE = 0.02


def isotonic(
    xs: Sequence[float], ys: Sequence[float], min_block: int | None = None
) -> tuple[list[float], list[float]]:
    """Pool adjacent violators: the non-decreasing step fit of ys on xs, as (x, y) knots of its blocks;
    then each block smaller than `min_block` (by default MIN_BLOCK_SHARE of the answers) is pooled with the
    neighbour nearer to it in y (still non-decreasing)."""
    if min_block is None:
        min_block = max(1, int(len(xs) * MIN_BLOCK_SHARE))
    blocks: list[list[float]] = []  # [sum of y, count, mean x]; equal xs start as one block
    for x, y in sorted(zip(xs, ys, strict=True)):
        if blocks and blocks[-1][2] == x:
            blocks[-1][0] += y
            blocks[-1][1] += 1
        else:
            blocks.append([y, 1.0, x])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            _pool(blocks, len(blocks) - 2)
    while len(blocks) > 1:
        small = min(range(len(blocks)), key=lambda i: blocks[i][1])
        if blocks[small][1] >= min_block:
            break
        if 0 < small < len(blocks) - 1:
            mean = blocks[small][0] / blocks[small][1]
            below = mean - blocks[small - 1][0] / blocks[small - 1][1]
            above = blocks[small + 1][0] / blocks[small + 1][1] - mean
            _pool(blocks, small - 1 if below <= above else small)
        else:
            _pool(blocks, max(0, small - 1))
    return [b[2] for b in blocks], [b[0] / b[1] for b in blocks]


def _pool(blocks: list[list[float]], i: int) -> None:
    """Merge block i+1 into block i."""
    y_sum, n, x_mean = blocks.pop(i + 1)
    block = blocks[i]
    block[2] = (block[2] * block[1] + x_mean * n) / (block[1] + n)
    block[0] += y_sum
    block[1] += n


@dataclass(frozen=True)
class Calibration:
    version: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]

    def __call__(self, support: float) -> float:
        """Linear interpolation between knots, flat beyond the ends: monotone non-decreasing."""
        if not self.xs:
            return support
        if support <= self.xs[0]:
            return self.ys[0]
        if support >= self.xs[-1]:
            return self.ys[-1]
        i = bisect_right(self.xs, support)
        x0, x1, y0, y1 = self.xs[i - 1], self.xs[i], self.ys[i - 1], self.ys[i]
        return y0 + (y1 - y0) * (support - x0) / (x1 - x0) if x1 > x0 else y1

    @classmethod
    def fit(cls, supports: Sequence[float], human: Sequence[float], version: str) -> Calibration:
        xs, ys = isotonic(supports, human)
        return cls(version=version, xs=tuple(round(x, 4) for x in xs), ys=tuple(round(y, 4) for y in ys))

    @classmethod
    def fit_versioned(cls, supports: Sequence[float], human: Sequence[float]) -> Calibration:
        """A fit whose version names its knots, so a grade's judge version says which calibration made it."""
        fitted = cls.fit(supports, human, version="")
        knots = json.dumps([fitted.xs, fitted.ys])
        return cls(version=f"iso-{hashlib.sha1(knots.encode()).hexdigest()[:8]}", xs=fitted.xs, ys=fitted.ys)

    def save(self, path: Path = CALIBRATION_FILE) -> None:
        data = {"version": self.version, "x": list(self.xs), "y": list(self.ys)}
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = CALIBRATION_FILE) -> Calibration:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(version=str(data["version"]), xs=tuple(data["x"]), ys=tuple(data["y"]))


IDENTITY = Calibration(version="identity", xs=(), ys=())
