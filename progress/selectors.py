"""Reads of a candidate's progress: the dashboard's figures and the questions due for review.

Every figure comes from a fixed number of queries, whatever the number of attempts (the dashboard's test
counts them). Mastery uses each question's latest graded answer; uncertain grades are left out of the figures
and counted beside them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import User
from interviews.models import Answer, Attempt, Grade
from progress.models import Card
from questionbank.models import Question, RubricCriterion, Topic

TREND_ATTEMPTS = 30
TOP_N = 8


@dataclass(frozen=True)
class TrendPoint:
    attempt_id: int
    started_at: datetime
    percent: int


@dataclass
class Mastery:
    """Points earned over points possible, from the latest certain grade of each question."""

    score: Decimal = Decimal(0)
    max_score: Decimal = Decimal(0)
    questions: int = 0
    uncertain: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.score / self.max_score) if self.max_score else None


@dataclass
class TopicProgress:
    topic: Topic
    published: int
    mastery: Mastery = field(default_factory=Mastery)
    never_tried: list[Question] = field(default_factory=list)


@dataclass(frozen=True)
class PointMastery:
    question: Question
    description: str
    points: float
    possible: float

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.possible) if self.possible else 0


@dataclass(frozen=True)
class Tally:
    text: str
    count: int
    question: Question | None = None


@dataclass
class Dashboard:
    trend: list[TrendPoint]
    topics: list[TopicProgress]
    weakest_points: list[PointMastery]
    missed_points: list[Tally]
    misconceptions: list[Tally]
    due: list[Card]
    upcoming: list[Card]
    graded_answers: int

    @property
    def never_tried(self) -> int:
        """Questions never tried, each counted once though it is listed under each of its topics."""
        return len({q.pk for t in self.topics for q in t.never_tried})


def cards_due(*, candidate: User, now: datetime | None = None) -> QuerySet[Card]:
    """The candidate's cards due by now whose question is still published, weakest (lowest grade) first."""
    now = now or timezone.now()
    return (
        Card.objects.filter(candidate=candidate, due__lte=now, question__status=Question.Status.PUBLISHED)
        .select_related("question")
        .order_by("last_percent", "due", "pk")
    )


def progress_dashboard(*, candidate: User, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    grades = list(
        Grade.objects.filter(
            is_current=True, answer__attempt__candidate=candidate, answer__status=Answer.Status.GRADED
        )
        .select_related("answer")
        .only(
            "score", "max_score", "uncertain", "criteria", "misconceptions",
            "answer__question_id", "answer__submitted_at", "answer__attempt_id",
        )
        .order_by("answer__submitted_at", "answer_id")
    )  # fmt: skip
    latest: dict[int, Grade] = {}
    for grade in grades:
        latest[grade.answer.question_id] = grade  # oldest first: the last one wins

    questions = Question.objects.filter(Q(pk__in=latest) | Q(status=Question.Status.PUBLISHED))
    questions_by_id = {q.pk: q for q in questions.prefetch_related("topics")}
    topics = _topics(questions_by_id, latest)
    texts = _criterion_texts(grades)
    cards = list(Card.objects.filter(candidate=candidate).select_related("question").order_by("due"))
    return Dashboard(
        trend=_trend(candidate),
        topics=topics,
        weakest_points=_weakest_points(latest, questions_by_id, texts),
        missed_points=_missed_points(grades, questions_by_id, texts),
        misconceptions=_misconceptions(grades, questions_by_id),
        due=sorted((c for c in cards if c.due <= now), key=lambda c: (c.last_percent, c.due)),
        upcoming=[c for c in cards if c.due > now][:TOP_N],
        graded_answers=len(grades),
    )


def _trend(candidate: User) -> list[TrendPoint]:
    current = Q(answers__grades__is_current=True, answers__status=Answer.Status.GRADED)
    attempts = (
        Attempt.objects.filter(candidate=candidate)
        .exclude(status=Attempt.Status.IN_PROGRESS)
        .annotate(
            score=Sum("answers__grades__score", filter=current),
            max_score=Sum("answers__grades__max_score", filter=current),
            graded=Count("answers", filter=current),
        )
        .filter(graded__gt=0)
        .order_by("-started_at")
        .values_list("pk", "started_at", "score", "max_score")[:TREND_ATTEMPTS]
    )
    points = [
        TrendPoint(attempt_id=pk, started_at=started, percent=round(100 * score / max_score))
        for pk, started, score, max_score in attempts
        if max_score
    ]
    return points[::-1]


def _topics(questions: dict[int, Question], latest: dict[int, Grade]) -> list[TopicProgress]:
    progress: dict[int, TopicProgress] = {}
    for question in questions.values():
        for topic in question.topics.all():
            entry = progress.setdefault(topic.pk, TopicProgress(topic=topic, published=0))
            published = question.status == Question.Status.PUBLISHED
            entry.published += published
            grade = latest.get(question.pk)
            if grade is None:
                if published:
                    entry.never_tried.append(question)
            elif grade.uncertain:
                entry.mastery.uncertain += 1
            else:
                entry.mastery.score += grade.score
                entry.mastery.max_score += grade.max_score
                entry.mastery.questions += 1
    return sorted(progress.values(), key=lambda t: (t.topic.order, t.topic.slug))


def _criterion_texts(grades: list[Grade]) -> dict[str, RubricCriterion]:
    """The rubric points the grades name that still exist, for their text in the viewer's language."""
    ids = {str(c.get("criterion_id")) for g in grades for c in g.criteria}
    return {str(c.pk): c for c in RubricCriterion.objects.filter(pk__in=[i for i in ids if i.isdigit()])}


def _description(criterion: dict[str, object], texts: dict[str, RubricCriterion]) -> str:
    row = texts.get(str(criterion.get("criterion_id")))
    if row is not None:
        return str(getattr(row, "description_shown", row.description))
    return str(criterion.get("description", ""))


def _weakest_points(
    latest: dict[int, Grade], questions: dict[int, Question], texts: dict[str, RubricCriterion]
) -> list[PointMastery]:
    certain = [g for g in latest.values() if not g.uncertain]
    points = [
        PointMastery(
            question=questions[g.answer.question_id],
            description=_description(c, texts),
            points=float(c.get("points", 0)),
            possible=float(c.get("points_possible", 0)),
        )
        for g in certain
        for c in g.criteria
        if c.get("points_possible") and float(c.get("points", 0)) < float(c["points_possible"])
    ]
    return sorted(points, key=lambda p: (p.percent, -p.possible))[:TOP_N]


def _missed_points(
    grades: list[Grade], questions: dict[int, Question], texts: dict[str, RubricCriterion]
) -> list[Tally]:
    counts: Counter[tuple[int, str]] = Counter()
    for grade in grades:
        for criterion in grade.criteria:
            if criterion.get("verdict") == "missed":
                counts[(grade.answer.question_id, _description(criterion, texts))] += 1
    return [
        Tally(text=text, count=n, question=questions.get(qid)) for (qid, text), n in counts.most_common(TOP_N)
    ]


def _misconceptions(grades: list[Grade], questions: dict[int, Question]) -> list[Tally]:
    counts: Counter[str] = Counter()
    where: dict[str, int] = defaultdict(int)
    for grade in grades:
        for claim in grade.misconceptions:
            counts[str(claim)] += 1
            where[str(claim)] = grade.answer.question_id
    return [Tally(text=t, count=n, question=questions.get(where[t])) for t, n in counts.most_common(TOP_N)]
