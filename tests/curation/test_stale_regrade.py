"""Grades against an older rubric: listed, a dry run that writes nothing, a regrade that agrees with it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from curation.services.regrade import regrade_dry_run, stale_grades, stale_regrade
from interviews.models import Answer, Grade
from interviews.services.grading import answer_grade
from questionbank.models import RubricCriterion
from tests.interviews.factories import AnswerFactory
from tests.questionbank.factories import QuestionFactory

ANSWERS = [
    "MQA 让所有头共享同一组 K 和 V，GQA 把查询头分组，每组共享一组 K/V，KV cache 更小。",
    "GQA 把查询头分组，是 MHA 与 MQA 的折中，推理更快，质量接近 MHA。",
    "多头注意力每个头都有自己的 K、V。",
]


@pytest.fixture
def graded(db):
    """A question whose three answers were graded by the offline judge under its first rubric."""
    question = QuestionFactory(
        slug="mqa-gqa",
        prompt="Multi-query Attention 与 Grouped-query Attention 的区别是什么?",
        reference_answer="MQA 所有头共享一组 K/V；GQA 把查询头分组，每组共享一组 K/V，是 MHA 与 MQA 的折中。",
        rubric=[
            {"description": "MQA 所有头共享同一组键值", "points": 4, "terms": ["共享"]},
            {"description": "GQA 分组共享键值", "points": 3, "terms": ["分组"]},
            {"description": "GQA 是 MHA 与 MQA 的折中", "points": 3, "terms": ["折中"]},
        ],
    )
    for text in ANSWERS:
        answer = AnswerFactory(question=question, status=Answer.Status.SUBMITTED, text=text)
        assert answer_grade(answer_id=answer.pk) is not None
    return question


def rubric_edit(question) -> None:
    """Ask for something else in the last point, worth more: every grade is now against an older rubric."""
    RubricCriterion.objects.filter(question=question, order=0).update(points=2)
    RubricCriterion.objects.filter(question=question, order=2).update(
        description="推理时 KV cache 的显存按键值组数减少", terms=["显存", "KV cache"], points=5
    )


def test_only_grades_against_another_rubric_are_stale(graded) -> None:
    assert not stale_grades(graded).exists()
    rubric_edit(graded)
    assert stale_grades(graded).count() == 3


def test_the_dry_run_writes_nothing_and_matches_the_real_regrade(graded) -> None:
    rubric_edit(graded)
    before = list(Grade.objects.order_by("pk").values_list("pk", "score", "is_current"))

    dry_run = regrade_dry_run(graded)

    assert list(Grade.objects.order_by("pk").values_list("pk", "score", "is_current")) == before
    assert set(Answer.objects.values_list("status", flat=True)) == {Answer.Status.GRADED}
    assert len(dry_run.changes) == 3
    assert dry_run.changed, "a new rubric point changes some scores"

    assert stale_regrade(graded) == 3
    for change in dry_run.changes:  # what the worker does with each queued answer
        answer_grade(answer_id=change.answer_id, force=True)
    after = {g.answer_id: g.score for g in Grade.objects.filter(is_current=True, answer__question=graded)}
    assert {c.answer_id: c.new_score for c in dry_run.changes} == after
    assert not stale_grades(graded).exists()
    assert dry_run.largest_change == max(abs(c.new_score - c.old_score) for c in dry_run.changes) > Decimal(0)


def test_the_admin_page_lists_them_and_runs_the_dry_run(client: Client, admin_user, graded) -> None:
    rubric_edit(graded)
    client.force_login(admin_user)
    url = reverse("admin:questionbank_question_stale_grades", args=[graded.pk])
    page = client.get(url).content.decode()
    assert "3 current grades were made against an earlier version" in page
    page = client.post(url, {"do": "dry_run"}).content.decode()
    assert "Dry run: nothing was written" in page and "scores would change" in page
    assert Grade.objects.count() == 3
    response = client.post(url, {"do": "regrade"})
    assert response.status_code == 302
    assert Answer.objects.filter(status=Answer.Status.SUBMITTED).count() == 3
