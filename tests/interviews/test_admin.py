"""Every admin list, add and change page answers without a server error."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interviews.models import Answer, Grade, SessionItem


@pytest.fixture
def one_of_each(make_question, make_answer, candidate, interviewer, topics):
    question = make_question("mqa", prompt="MQA 与 GQA？", topics=[topics["attention"]])
    answer = make_answer(candidate, question)
    SessionItem.objects.create(session=answer.attempt.session, question=question, order=0)
    Grade.objects.create(
        answer=answer,
        judge=Grade.Judge.OFFLINE,
        answer_hash="a",
        rubric_hash="r",
        score=Decimal("7"),
        max_score=Decimal("10"),
        criteria=[{"verdict": "met", "points": 4, "evidence": "共享 K/V"}],
    )


def test_every_admin_page_renders(client: Client, admin_user, one_of_each) -> None:
    client.force_login(admin_user)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        app, name = model._meta.app_label, model._meta.model_name
        assert client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200, model
        assert client.get(reverse(f"admin:{app}_{name}_changelist"), {"q": "注意力"}).status_code == 200, (
            model
        )
        add = client.get(reverse(f"admin:{app}_{name}_add"))
        assert add.status_code == (200 if model_admin.has_add_permission(add.wsgi_request) else 403), model
        obj = model_admin.get_queryset(add.wsgi_request).first()
        if obj is not None:
            assert client.get(reverse(f"admin:{app}_{name}_change", args=[obj.pk])).status_code == 200, model
            checked += 1
    assert checked == len(admin.site._registry), "every registered model had a change page checked"


def test_question_list_filters_and_rubric_total(client: Client, admin_user, one_of_each, topics) -> None:
    client.force_login(admin_user)

    response = client.get(
        reverse("admin:questionbank_question_changelist"),
        {
            "topics__id__exact": topics["attention"].pk,
            "difficulty__exact": "medium",
            "status__exact": "published",
        },
    )

    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [q.slug for q in rows] == ["mqa"] and rows[0].rubric_total == 10


def test_grade_list_filters(client: Client, admin_user, one_of_each) -> None:
    client.force_login(admin_user)

    for params in ({"judge__exact": "offline"}, {"provisional__exact": "0"}, {"is_current__exact": "1"}):
        response = client.get(reverse("admin:interviews_grade_changelist"), params)
        assert response.status_code == 200 and response.context["cl"].result_count == 1, params


@pytest.mark.parametrize(
    ("changelist", "action", "selected"),
    [
        ("admin:interviews_answer_changelist", "regrade", "pk"),
        ("admin:questionbank_question_changelist", "regrade_answers", "question_id"),
    ],
)
def test_admins_can_grade_answers_again_from_the_answer_and_question_lists(
    client: Client, admin_user, one_of_each, django_capture_on_commit_callbacks, changelist, action, selected
) -> None:
    answer = Answer.objects.get()
    Answer.objects.filter(pk=answer.pk).update(status=Answer.Status.GRADED, submitted_at=timezone.now())
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks() as queued:
        page = client.post(
            reverse(changelist),
            {"action": action, "_selected_action": [getattr(answer, selected)]},
            follow=True,
            headers={"accept-language": "en"},
        )
    assert "1 answer queued for grading." in page.content.decode()
    answer.refresh_from_db()
    assert answer.status == Answer.Status.SUBMITTED and len(queued) == 1
    assert Grade.objects.filter(answer=answer).count() == 1, "the earlier grade is kept"
