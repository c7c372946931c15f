"""The progress page: mastery from each question's latest grade, uncertain ones apart, and queries that do not
grow with the number of attempts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from interviews.models import Answer
from progress.charts import BOTTOM, LEFT, RIGHT, TOP, trend_chart
from progress.selectors import TrendPoint, progress_dashboard
from tests.interviews.factories import AnswerFactory, AttemptFactory, GradeFactory
from tests.questionbank.factories import QuestionFactory, TopicFactory

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def graded(candidate, question, score: str, days: int = 0, **fields: object):
    when = T0 + timedelta(days=days)
    attempt = AttemptFactory(candidate=candidate, finished=True, started_at=when)
    answer = AnswerFactory(attempt=attempt, question=question, status=Answer.Status.GRADED, submitted_at=when)
    return GradeFactory(answer=answer, score=Decimal(score), max_score=Decimal("10"), **fields)


def missed(question, index: int = 0) -> dict[str, object]:
    criterion = list(question.rubric.all())[index]
    return {
        "criterion_id": str(criterion.pk),
        "description": "stored text",
        "points_possible": criterion.points,
        "verdict": "missed",
        "points": 0,
    }


@pytest.fixture
def history(candidate):
    attention, inference = TopicFactory(slug="attention"), TopicFactory(slug="inference")
    q1, q2, q3 = (QuestionFactory(topics=[attention]) for _ in range(3))
    q4 = QuestionFactory(topics=[inference])
    graded(candidate, q1, "2", days=0, criteria=[missed(q1)], misconceptions=["MQA reduces query heads"])
    graded(candidate, q1, "8", days=3)  # the latest grade of q1 counts
    graded(candidate, q2, "5", days=1, uncertain=True)
    wrong = ["MQA reduces query heads"]
    graded(candidate, q4, "3", days=2, criteria=[missed(q4), missed(q4, 1)], misconceptions=wrong)
    return {"attention": attention, "inference": inference, "q1": q1, "q3": q3, "q4": q4}


def test_mastery_per_topic_uses_the_latest_certain_grades(candidate, history):
    board = progress_dashboard(candidate=candidate, now=T0)

    topics = {t.topic.slug: t for t in board.topics}
    attention, inference = topics["attention"], topics["inference"]
    assert (attention.mastery.percent, attention.mastery.questions, attention.mastery.uncertain) == (80, 1, 1)
    assert attention.never_tried == [history["q3"]]
    assert inference.mastery.percent == 30
    assert board.never_tried == 1


def test_a_question_of_two_topics_is_never_tried_once(candidate, history):
    QuestionFactory(topics=[history["attention"], history["inference"]])

    board = progress_dashboard(candidate=candidate, now=T0)

    assert [len(t.never_tried) for t in board.topics] == [2, 1] and board.never_tried == 2


def test_most_missed_points_and_most_stated_wrong_claims_are_counted(candidate, history):
    board = progress_dashboard(candidate=candidate, now=T0)

    first_point = list(history["q4"].rubric.all())[0]
    assert {(t.text, t.count) for t in board.missed_points} >= {(first_point.description, 1)}
    assert len(board.missed_points) == 3
    assert [(t.text, t.count) for t in board.misconceptions] == [("MQA reduces query heads", 2)]
    # The weakest rubric point comes from the latest grades only: q4's missed points, at 0 %.
    assert board.weakest_points[0].percent == 0 and board.weakest_points[0].question == history["q4"]


def test_trend_is_one_point_per_graded_interview_in_time_order(candidate, history):
    board = progress_dashboard(candidate=candidate, now=T0)

    assert [p.percent for p in board.trend] == [20, 50, 30, 80]


def test_the_page_shows_the_figures_with_text_equivalents_in_both_languages(client, candidate, history):
    client.force_login(candidate)

    with translation.override("en"):
        english = client.get(reverse("progress"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(reverse("progress"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "Mastery by topic" in english and "80%" in english
    assert "The figures as a table" in english and "<svg" in english
    assert "Topic attention" in english
    assert "主题 attention" in chinese


def test_the_page_queries_do_not_grow_with_the_number_of_attempts(client, candidate):
    topic = TopicFactory()
    client.force_login(candidate)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("progress")).status_code == 200
        return len(queries)

    for day in range(2):
        graded(candidate, QuestionFactory(topics=[topic]), "6", days=day, misconceptions=["x"])
    few = count_queries()
    for day in range(2, 8):
        graded(candidate, QuestionFactory(topics=[topic]), "6", days=day, misconceptions=["y"])
    many = count_queries()

    assert few == many


def test_another_candidates_grades_are_not_mine(client, other_candidate, history):
    board = progress_dashboard(candidate=other_candidate, now=T0)

    assert board.trend == [] and board.graded_answers == 0
    assert all(t.mastery.percent is None for t in board.topics)


def test_the_trend_chart_places_scores_bottom_to_top_and_attempts_left_to_right():
    chart = trend_chart([TrendPoint(1, T0, 0), TrendPoint(2, T0, 50), TrendPoint(3, T0, 100)])

    assert [(m.x, m.y) for m in chart.markers] == [(LEFT, BOTTOM), ((LEFT + RIGHT) / 2, 50.0), (RIGHT, TOP)]
    assert chart.polyline == f"{LEFT},{BOTTOM} {(LEFT + RIGHT) / 2},50.0 {RIGHT},{TOP}"
