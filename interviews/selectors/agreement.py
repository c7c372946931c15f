"""How often people who override a grade change the judge's verdicts, and by how much.

Each human grade is compared with the latest non-human grade of the same answer made before it. Admin
statistics and calibration read these figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from interviews.models import Grade, Session
from questionbank.models import Question


@dataclass(frozen=True)
class Agreement:
    reviewed: int  # human grades compared
    points_compared: int  # rubric points compared
    verdicts_changed: int  # of those, points whose verdict the person changed
    score_changed: int  # human grades whose score differs from the judge's
    mean_abs_delta: Decimal  # mean |human score - judge score|, over the human grades
    mean_delta: Decimal  # mean (human - judge): positive when people grade more generously

    @property
    def verdict_agreement(self) -> float:
        """The share of rubric points where the person kept the judge's verdict (1.0 when none compared)."""
        return 1 - self.verdicts_changed / self.points_compared if self.points_compared else 1.0


@dataclass(frozen=True)
class SessionAgreement:
    overall: Agreement
    by_question: list[tuple[Question, Agreement]]


def agreement_for_session(*, session: Session) -> SessionAgreement:
    return _agreement(Grade.objects.filter(answer__attempt__session=session))


def agreement_for_grades(*, grades: QuerySet[Grade]) -> SessionAgreement:
    """The same figures over any set of answers' grades (e.g. all sessions of one interviewer)."""
    return _agreement(grades)


def _agreement(grades: QuerySet[Grade]) -> SessionAgreement:
    pairs: list[tuple[Question, Grade, Grade]] = []
    judge_before: dict[int, Grade] = {}
    # Oldest first per answer: a human grade meets the judge's grade it replaced.
    for grade in grades.select_related("answer__question").order_by("answer_id", "created_at", "pk"):
        if grade.judge != Grade.Judge.HUMAN:
            judge_before[grade.answer_id] = grade
        elif (judged := judge_before.get(grade.answer_id)) is not None:
            pairs.append((grade.answer.question, judged, grade))
    by_question: dict[int, list[tuple[Grade, Grade]]] = defaultdict(list)
    questions: dict[int, Question] = {}
    for question, judged, human in pairs:
        by_question[question.pk].append((judged, human))
        questions[question.pk] = question
    return SessionAgreement(
        overall=_figures([(j, h) for _q, j, h in pairs]),
        by_question=[(questions[pk], _figures(found)) for pk, found in by_question.items()],
    )


def _figures(pairs: list[tuple[Grade, Grade]]) -> Agreement:
    compared = changed = score_changed = 0
    deltas: list[Decimal] = []
    for judged, human in pairs:
        verdicts = {str(c.get("criterion_id")): c.get("verdict") for c in judged.criteria}
        for point in human.criteria:
            key = str(point.get("criterion_id"))
            if key in verdicts:
                compared += 1
                changed += verdicts[key] != point.get("verdict")
        deltas.append(human.score - judged.score)
        score_changed += human.score != judged.score
    count = len(deltas)
    return Agreement(
        reviewed=count,
        points_compared=compared,
        verdicts_changed=changed,
        score_changed=score_changed,
        mean_abs_delta=sum((abs(d) for d in deltas), Decimal(0)) / count if count else Decimal(0),
        mean_delta=sum(deltas, Decimal(0)) / count if count else Decimal(0),
    )
