"""Statistics of the bank's questions from their grades, with Moodle's definitions of its item statistics.

- Facility index: the mean score as a percentage of the maximum.
- Standard deviation: the sample standard deviation (n - 1) of the scores, as a percentage of the maximum.
- Discrimination index: the correlation (in %) between a question's score and the score on the rest of the
  same attempt (the attempt's other questions), over the attempts that answered it; it needs two or more.
- A human override is a current human grade whose previous grade of the same answer was the judge's; they
  disagree when the scores differ.

Only current grades count as an answer's score; the token cost counts every grade the judges made.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from interviews.models import Grade
from questionbank.models import Question


@dataclass(frozen=True)
class Override:
    answer_id: int
    judge_score: Decimal
    human_score: Decimal

    @property
    def difference(self) -> Decimal:
        return self.human_score - self.judge_score


@dataclass(frozen=True)
class PointRate:
    description: str
    points: int
    graded: int
    met: int
    partial: int

    @property
    def met_rate(self) -> float | None:
        return 100 * self.met / self.graded if self.graded else None


@dataclass
class QuestionStats:
    question: Question
    attempts: int = 0
    mean: float | None = None
    facility: float | None = None
    sd: float | None = None
    discrimination: float | None = None
    points: list[PointRate] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: Decimal = Decimal(0)

    @property
    def disagreements(self) -> list[Override]:
        return [o for o in self.overrides if o.difference]

    @property
    def mean_override_difference(self) -> float | None:
        diffs = [abs(float(o.difference)) for o in self.overrides]
        return statistics.fmean(diffs) if diffs else None


def facility_index(scores: Sequence[float], maxima: Sequence[float]) -> float | None:
    if not scores:
        return None
    return 100 * statistics.fmean(s / m for s, m in zip(scores, maxima, strict=True))


def spread(scores: Sequence[float], maxima: Sequence[float]) -> float | None:
    if len(scores) < 2:
        return None
    return 100 * statistics.stdev(s / m for s, m in zip(scores, maxima, strict=True))


def discrimination_index(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Correlation (%) of (question score, rest-of-attempt score) pairs; None without two or any variance."""
    if len(pairs) < 2:
        return None
    items, rests = zip(*pairs, strict=True)
    if len(set(items)) < 2 or len(set(rests)) < 2:
        return None
    return 100 * statistics.correlation(items, rests)


def human_overrides(grades: Iterable[Grade]) -> list[Override]:
    """Current human grades whose previous grade of the same answer was the judge's, with both scores."""
    by_answer: dict[int, list[Grade]] = defaultdict(list)
    for grade in grades:
        by_answer[grade.answer_id].append(grade)
    overrides = []
    for answer_id, history in by_answer.items():
        history.sort(key=lambda g: (g.created_at, g.pk))
        current = history[-1]
        if current.is_current and current.judge == Grade.Judge.HUMAN and len(history) > 1:
            previous = history[-2]
            if previous.judge != Grade.Judge.HUMAN:
                overrides.append(Override(answer_id, previous.score, current.score))
    return sorted(overrides, key=lambda o: o.answer_id)


def question_statistics(question: Question) -> QuestionStats:
    stats = QuestionStats(question=question)
    grades = list(Grade.objects.filter(answer__question=question).select_related("answer"))
    current = [g for g in grades if g.is_current]
    stats.attempts = len(current)
    scores = [float(g.score) for g in current]
    maxima = [float(g.max_score) or 1.0 for g in current]
    stats.mean = statistics.fmean(scores) if scores else None
    stats.facility = facility_index(scores, maxima)
    stats.sd = spread(scores, maxima)
    stats.discrimination = discrimination_index(_rest_pairs(current))
    stats.points = _point_rates(question, current)
    stats.overrides = human_overrides(grades)
    judged = [g for g in grades if g.judge != Grade.Judge.HUMAN]
    stats.tokens_in = sum(g.tokens_in for g in judged)
    stats.tokens_out = sum(g.tokens_out for g in judged)
    stats.cost_usd = sum((g.cost_usd for g in judged), Decimal(0))
    return stats


def _rest_pairs(current: list[Grade]) -> list[tuple[float, float]]:
    """Each answer's score fraction with the summed score fraction of its attempt's other answers."""
    attempts = {g.answer.attempt_id for g in current}
    others: dict[int, float] = defaultdict(float)
    counted: dict[int, int] = defaultdict(int)
    rows = Grade.objects.filter(is_current=True, answer__attempt_id__in=attempts).values_list(
        "answer__attempt_id", "answer_id", "score", "max_score"
    )
    own = {g.answer_id for g in current}
    for attempt_id, answer_id, score, max_score in rows:
        if answer_id not in own:
            others[attempt_id] += float(score) / (float(max_score) or 1.0)
            counted[attempt_id] += 1
    return [
        (float(g.score) / (float(g.max_score) or 1.0), others[g.answer.attempt_id])
        for g in current
        if counted[g.answer.attempt_id]
    ]


def _point_rates(question: Question, current: list[Grade]) -> list[PointRate]:
    rates = []
    for criterion in question.rubric.all():
        verdicts = [
            c.get("verdict")
            for g in current
            for c in g.criteria
            if str(c.get("criterion_id")) == str(criterion.pk)
        ]
        rates.append(
            PointRate(
                description=criterion.description_shown,
                points=criterion.points,
                graded=len(verdicts),
                met=verdicts.count("met"),
                partial=verdicts.count("partial"),
            )
        )
    return rates


@dataclass(frozen=True)
class GroupStats:
    label: str
    questions: int
    attempts: int
    facility: float | None


@dataclass
class BankStats:
    by_topic: list[GroupStats]
    by_difficulty: list[GroupStats]
    overrides: list[Override]
    cost_usd: Decimal

    @property
    def agreement(self) -> float | None:
        """The share (%) of human overrides that kept the judge's score."""
        if not self.overrides:
            return None
        return 100 * sum(1 for o in self.overrides if not o.difference) / len(self.overrides)

    @property
    def mean_override_difference(self) -> float | None:
        diffs = [abs(float(o.difference)) for o in self.overrides]
        return statistics.fmean(diffs) if diffs else None


def bank_statistics() -> BankStats:
    current = list(
        Grade.objects.filter(is_current=True).values_list(
            "answer__question_id", "answer__question__difficulty", "score", "max_score"
        )
    )
    topics_of: dict[int, list[str]] = defaultdict(list)
    questions = Question.objects.prefetch_related("topics")
    for question in questions:
        topics_of[question.pk] = [t.name for t in question.topics.all()]
    by_topic: dict[str, list[float]] = defaultdict(list)
    by_difficulty: dict[str, list[float]] = defaultdict(list)
    for question_id, difficulty, score, max_score in current:
        fraction = float(score) / (float(max_score) or 1.0)
        for topic in topics_of[question_id]:
            by_topic[topic].append(fraction)
        by_difficulty[difficulty].append(fraction)
    topic_counts: dict[str, int] = defaultdict(int)
    difficulty_counts: dict[str, int] = defaultdict(int)
    for question in questions:
        for name in topics_of[question.pk]:
            topic_counts[name] += 1
        difficulty_counts[question.difficulty] += 1
    labels = dict(Question.Difficulty.choices)
    return BankStats(
        by_topic=[_group(name, topic_counts[name], by_topic[name]) for name in sorted(topic_counts)],
        by_difficulty=[
            _group(str(labels[d]), difficulty_counts[d], by_difficulty[d])
            for d in Question.Difficulty.values
            if difficulty_counts[d]
        ],
        overrides=human_overrides(Grade.objects.all()),
        cost_usd=Grade.objects.exclude(judge=Grade.Judge.HUMAN).aggregate(total=Sum("cost_usd"))["total"]
        or Decimal(0),
    )


def _group(label: str, questions: int, fractions: list[float]) -> GroupStats:
    return GroupStats(
        label=label,
        questions=questions,
        attempts=len(fractions),
        facility=100 * statistics.fmean(fractions) if fractions else None,
    )
