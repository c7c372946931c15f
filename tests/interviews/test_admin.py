"""The admin: every page answers, workflow rows are read-only, and admins can grade answers again."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from interviews.admin import QuestionAdmin as InterviewsQuestionAdmin
from interviews.models import Answer, Appeal, Attempt, ExamplesDecision, Grade
from questionbank.models import Question
from tests.interviews.factories import AttemptFactory, GradeFactory, SessionItemFactory
from tests.questionbank.factories import MisconceptionFactory, QuestionFactory, TopicFactory


@pytest.fixture
def attention(db):
    return TopicFactory(slug="attention", name_zh="注意力机制", name_en="Attention")


@pytest.fixture
def one_of_each(candidate, interviewer, attention) -> Grade:
    """A row of every registered model: a question (with a misconception), an attempt, a graded answer."""
    question = QuestionFactory(slug="mqa", prompt="MQA 与 GQA？", topics=[attention])
    MisconceptionFactory(question=question, claim="MQA 不共享 K/V")
    attempt = AttemptFactory(candidate=candidate, finished=True)
    SessionItemFactory(session=attempt.session, question=question)
    grade = GradeFactory(
        answer__attempt=attempt,
        answer__question=question,
        score="7",
        criteria=[{"verdict": "met", "points": 4, "evidence": "共享 K/V"}],
    )
    Appeal.objects.create(answer=grade.answer, criterion_id="1", reason="我提到了共享 K/V")
    figures = {"pearson": 0.5, "qwk": 0.4, "mae": 1.5}
    ExamplesDecision.objects.create(
        examples=2,
        held_aside_share=0.3,
        adopted=False,
        held_aside=9,
        without_examples=figures,
        with_examples=figures,
    )
    return grade


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


def test_the_attempt_admin_is_read_only(client: Client, admin_user, one_of_each) -> None:
    attempt = one_of_each.answer.attempt
    client.force_login(admin_user)
    change_url = reverse("admin:interviews_attempt_change", args=[attempt.pk])
    request = client.get(change_url).wsgi_request
    attempt_admin = admin.site._registry[Attempt]

    assert not attempt_admin.has_add_permission(request)
    assert not attempt_admin.has_change_permission(request, attempt)
    assert client.get(reverse("admin:interviews_attempt_add")).status_code == 403
    posted = client.post(change_url, {"status": Attempt.Status.IN_PROGRESS})
    assert posted.status_code == 403
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED


def test_an_attempt_without_answers_opens_in_the_admin_and_for_its_candidate(
    client: Client, admin_user, candidate
) -> None:
    running = AttemptFactory(candidate=candidate)
    finished = AttemptFactory(candidate=candidate, finished=True)

    client.force_login(admin_user)
    for attempt in (running, finished):
        assert client.get(reverse("admin:interviews_attempt_change", args=[attempt.pk])).status_code == 200
    client.force_login(candidate)
    interview = client.get(reverse("attempt_detail", args=[running.pk]), follow=True)
    results = client.get(reverse("attempt_results", args=[finished.pk]))

    assert interview.redirect_chain == [(reverse("attempt_list"), 302)]
    assert "This interview has no questions." in [str(m) for m in interview.context["messages"]]
    assert results.status_code == 200


def test_the_question_admin_is_the_banks_with_the_regrade_action(client: Client, admin_user) -> None:
    question_admin = admin.site._registry[Question]

    # curation/admin.py extends it once more with the pages that need grades (stale grades, statistics).
    assert isinstance(question_admin, InterviewsQuestionAdmin)
    client.force_login(admin_user)
    request = client.get(reverse("admin:questionbank_question_changelist")).wsgi_request
    assert {"regrade_answers", "publish", "retire", "export_csv"} <= set(question_admin.get_actions(request))


def test_question_list_filters_and_rubric_total(client: Client, admin_user, one_of_each, attention) -> None:
    client.force_login(admin_user)

    response = client.get(
        reverse("admin:questionbank_question_changelist"),
        {"topics__id__exact": attention.pk, "difficulty__exact": "medium", "status__exact": "published"},
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
    answer = one_of_each.answer
    assert answer.status == Answer.Status.GRADED
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


def test_a_grade_is_shown_as_tables_not_json(client: Client, admin_user, one_of_each) -> None:
    client.force_login(admin_user)
    page = client.get(reverse("admin:interviews_grade_change", args=[one_of_each.pk])).content.decode()
    assert '<table class="readable">' in page
    assert "<td>met</td>" in page and "<td>共享 K/V</td>" in page
    assert "{&quot;verdict&quot;" not in page and '{"verdict"' not in page
