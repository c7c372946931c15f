"""Refit the offline judge's calibration from people's grades, adopted only if it agrees better with people.

A share of the human-graded answers is held aside (chosen by a hash of each answer's key, so the same answers
stay aside from run to run); the calibration is refitted on the others and both the current and the refitted
one grade the held-aside answers. The refit is adopted only when its mean absolute error against the people's
scores there is lower: a handful of overrides cannot make the judge worse on answers it has not seen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from interviews.grading.calibration import IDENTITY, Calibration
from interviews.grading.evaluation import Agreement, agreement
from interviews.grading.offline import OfflineJudge
from interviews.grading.types import JudgeInput

SCALE = 10


@dataclass(frozen=True)
class HumanGrade:
    key: str  # stable (the answer's id): decides which side of the split it falls on
    judge_input: JudgeInput
    human: float  # the person's score as a share of the marks, 0..1


@dataclass(frozen=True)
class Outcome:
    current: Calibration
    candidate: Calibration
    trained_on: int
    held_aside: int
    before: Agreement  # the current calibration on the held-aside grades (scores on 0..10)
    after: Agreement  # the refitted one

    @property
    def adopted(self) -> bool:
        return self.after.mae < self.before.mae


def is_held_aside(key: str, share: float) -> bool:
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def recalibrate(grades: Sequence[HumanGrade], *, current: Calibration, share: float = 0.3) -> Outcome:
    """Refit on the grades not held aside; measure both calibrations on those held aside."""
    held = [g for g in grades if is_held_aside(g.key, share)]
    train = [g for g in grades if not is_held_aside(g.key, share)]
    if not held or not train:
        raise ValueError(f"{len(grades)} human grades do not fill both sides of a {share:.0%} split")
    raw = OfflineJudge(calibration=IDENTITY)
    candidate = Calibration.fit_versioned(
        [raw.support(g.judge_input) for g in train], [g.human for g in train]
    )
    return Outcome(
        current=current,
        candidate=candidate,
        trained_on=len(train),
        held_aside=len(held),
        before=_agreement(OfflineJudge(calibration=current), held),
        after=_agreement(OfflineJudge(calibration=candidate), held),
    )


def _agreement(judge: OfflineJudge, grades: Sequence[HumanGrade]) -> Agreement:
    judged = [judge.grade(g.judge_input).fraction * SCALE for g in grades]
    return agreement(judged, [g.human * SCALE for g in grades], scale=SCALE)
