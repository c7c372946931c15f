"""Question and bank statistics on a small graded fixture, against values worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from curation.charts import bar_chart
from curation.selectors.statistics import bank_statistics, question_statistics
from interviews.models import Answer, Grade
from tests.interviews.factories import AnswerFactory, AttemptFactory, GradeFactory
from tests.questionbank.factories import QuestionFactory, TopicFactory


def criteria(question, verdicts: list[str]) -> list[dict]:
    return [
        {
            "criterion_id": str(c.pk),
            "description": c.description,
            "verdict": v,
            "points": 0,
            "points_possible": c.points,
        }
        for c, v in zip(question.rubric.all(), verdicts, strict=True)
    ]


@pytest.fixture
def graded(db):
    """Three attempts at questions A and B.

    A's current scores are 8, 4, 6 (of 10) and B's 6, 2, 10. Candidate 2's and 3's A grades are human
    overrides of LLM grades 3 (disagreeing by 1) and 6 (agreeing), which cost 100+50 and 200+60 tokens,
    $0.002 and $0.003.
    """
    topic = TopicFactory(slug="attention", name_zh="注意力", name_en="Attention")
    a = QuestionFactory(slug="a", topics=[topic], difficulty="hard")
    b = QuestionFactory(slug="b", topics=[topic], difficulty="easy")
    plan = [
        # A: (previous LLM grade or None, current score, its judge, verdicts of A's three points); B's score
        (None, 8, "offline", ["met", "met", "partial"], 6),
        ((3, 100, 50, "0.002"), 4, "human", ["missed", "met", "missed"], 2),
        ((6, 200, 60, "0.003"), 6, "human", ["met", "partial", "missed"], 10),
    ]
    for previous, score, judge, verdicts, b_score in plan:
        attempt = AttemptFactory(finished=True)
        answer_a = AnswerFactory(attempt=attempt, question=a, status=Answer.Status.GRADED)
        if previous:
            p_score, t_in, t_out, cost = previous
            GradeFactory(
                answer=answer_a,
                score=p_score,
                is_current=False,
                judge="llm",
                tokens_in=t_in,
                tokens_out=t_out,
                cost_usd=Decimal(cost),
                criteria=criteria(a, verdicts),
            )
        GradeFactory(answer=answer_a, score=score, judge=judge, criteria=criteria(a, verdicts))
        GradeFactory(
            answer=AnswerFactory(attempt=attempt, question=b, status=Answer.Status.GRADED),
            score=b_score,
            criteria=criteria(b, ["met", "met", "met"]),
        )
    return a, b


def test_question_statistics_match_the_hand_computed_values(graded) -> None:
    a, _ = graded
    stats = question_statistics(a)
    assert stats.attempts == 3
    assert stats.mean == pytest.approx(6.0)
    assert stats.facility == pytest.approx(60.0)  # (0.8 + 0.4 + 0.6) / 3
    assert stats.sd == pytest.approx(20.0)  # sqrt((0.04 + 0.04 + 0) / 2)
    # A's fractions (.8, .4, .6) against the rest of each attempt (B: .6, .2, 1.0): cov .08 / sqrt(.08 * .32)
    assert stats.discrimination == pytest.approx(50.0)
    assert [(p.graded, p.met, p.partial) for p in stats.points] == [(3, 2, 0), (3, 2, 1), (3, 0, 1)]
    assert stats.points[0].met_rate == pytest.approx(200 / 3)
    assert [(o.judge_score, o.human_score) for o in stats.overrides] == [(3, 4), (6, 6)]
    assert len(stats.disagreements) == 1 and stats.mean_override_difference == pytest.approx(0.5)
    assert (stats.tokens_in, stats.tokens_out, stats.cost_usd) == (300, 110, Decimal("0.005"))


def test_bank_statistics_by_topic_and_difficulty(graded) -> None:
    stats = bank_statistics()
    assert [(g.label, g.questions, g.attempts) for g in stats.by_topic] == [("Attention", 2, 6)]
    assert stats.by_topic[0].facility == pytest.approx(100 * (0.8 + 0.4 + 0.6 + 0.6 + 0.2 + 1.0) / 6)
    assert [(g.label, g.facility) for g in stats.by_difficulty] == [
        ("Easy", pytest.approx(60.0)),
        ("Hard", pytest.approx(60.0)),
    ]
    assert stats.agreement == pytest.approx(50.0) and stats.mean_override_difference == pytest.approx(0.5)


def test_a_question_without_variance_has_no_discrimination_index(db) -> None:
    question = QuestionFactory()
    GradeFactory(answer__question=question, score=5)
    stats = question_statistics(question)
    assert stats.facility == pytest.approx(50.0) and stats.sd is None and stats.discrimination is None


def test_bar_lengths_are_shares_of_the_maximum() -> None:
    chart = bar_chart("t", [("a", 50.0), ("b", None), ("c", 150.0)])
    assert [b.width for b in chart.bars] == [160.0, 0.0, 320.0]
    assert [b.text for b in chart.bars] == ["50", "—", "150"]


def test_bar_labels_round_as_the_tables_do() -> None:
    """Half up, as the template's floatformat: 12.5 % is 13 on the bar and in the table beside it."""
    assert [b.text for b in bar_chart("t", [("a", 12.5), ("b", 52.5), ("c", 0.4)]).bars] == ["13", "53", "0"]


def test_the_statistics_pages_render(client: Client, admin_user, graded) -> None:
    a, _ = graded
    client.force_login(admin_user)
    page = client.get(reverse("admin:questionbank_question_statistics", args=[a.pk])).content.decode()
    assert "60.0 %" in page and "50.0 %" in page and "<svg" in page
    page = client.get(reverse("admin:questionbank_question_bank_statistics")).content.decode()
    assert "Attention" in page and "<svg" in page
    assert Grade.objects.count() == 8


def test_the_rubric_points_are_shown_in_the_viewers_language(client: Client, admin_user, graded) -> None:
    a, _ = graded
    point = a.rubric.first()
    point.description, point.description_en = "说明缩放的原因", "Explains why the scores are scaled"
    point.save()
    client.force_login(admin_user)
    url = reverse("admin:questionbank_question_statistics", args=[a.pk])
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    chinese = client.get(url, headers={"accept-language": "zh-hans"}).content.decode()
    assert "Explains why the scores are scaled" in english and "说明缩放的原因" not in english
    assert "说明缩放的原因" in chinese
