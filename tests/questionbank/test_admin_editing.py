"""The question editor: lists one per line, rubric total, Markdown preview, status actions, history."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from questionbank.models import Misconception, Question, RubricCriterion
from tests.questionbank.factories import MisconceptionFactory, QuestionFactory, TopicFactory


@pytest.fixture(autouse=True)
def _english(settings) -> Iterator[None]:
    """Pages are asserted in English, the message ids; the admin defaults to Chinese."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def question(db) -> Question:
    q = QuestionFactory(slug="mqa", prompt="MQA 与 GQA?", topics=[TopicFactory(slug="attention")])
    MisconceptionFactory(question=q, claim="MQA 不共享 K/V", phrasings=["不共享", "各自的 K/V"])
    return q


def form_data(client: Client, question: Question, **changes: str) -> dict[str, str]:
    """The change form as the browser would post it, with `changes` applied."""
    response = client.get(reverse("admin:questionbank_question_change", args=[question.pk]))
    form = response.context["adminform"].form
    data: dict[str, str] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, list) and name == "topics":
            data[name] = [str(v) for v in value]  # type: ignore[assignment]
        elif value is not None:
            data[name] = field.prepare_value(value) if hasattr(field, "prepare_value") else value
    for formset in response.context["inline_admin_formsets"]:
        fs = formset.formset
        data.update({k: str(v) for k, v in fs.management_form.initial.items()})
        data.update({f"{fs.prefix}-{k}": str(v) for k, v in fs.management_form.initial.items()})
        for sub in fs.forms:
            for name, field in sub.fields.items():
                value = sub[name].value()
                if value is None or value is False:
                    continue
                prepared = field.prepare_value(value)
                data[sub.add_prefix(name)] = "" if prepared is None else str(prepared)
    data.update(changes)
    return data


def test_terms_and_phrasings_are_edited_one_per_line(client: Client, admin_user, question) -> None:
    client.force_login(admin_user)
    page = client.get(reverse("admin:questionbank_question_change", args=[question.pk])).content.decode()
    assert "不共享\n各自的 K/V" in page  # shown one per line, not as JSON
    data = form_data(
        client, question, **{"rubric-0-terms": "共享 K/V\n  一组键值 \n\n", "rubric-0-points": "4"}
    )
    response = client.post(reverse("admin:questionbank_question_change", args=[question.pk]), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert RubricCriterion.objects.get(question=question, order=0).terms == ["共享 K/V", "一组键值"]


def test_a_rubric_that_does_not_add_up_to_ten_is_refused(client: Client, admin_user, question) -> None:
    client.force_login(admin_user)
    data = form_data(client, question, **{"rubric-0-points": "5"})
    response = client.post(reverse("admin:questionbank_question_change", args=[question.pk]), data)
    assert response.status_code == 200
    assert "add up to 11" in response.content.decode()
    assert RubricCriterion.objects.get(question=question, order=0).points == 4


def test_a_published_question_keeps_a_complete_accepted_rubric(client: Client, admin_user, question) -> None:
    client.force_login(admin_user)
    url = reverse("admin:questionbank_question_change", args=[question.pk])
    rows = question.rubric.count()
    deleted = form_data(client, question, **{f"rubric-{i}-DELETE": "on" for i in range(rows)})
    proposed = form_data(client, question, **{"rubric-0-proposed": "on"})

    assert "add up to 0" in client.post(url, {**deleted, "status": "published"}).content.decode()
    assert "no proposed points" in client.post(url, {**proposed, "status": "published"}).content.decode()
    assert client.post(url, {**proposed, "status": "draft"}).status_code == 302  # a draft may hold proposals
    assert question.rubric.count() == rows


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"suggested_seconds": "99999999"}, "less than or equal to 14400"),
        ({"suggested_seconds": "0"}, "greater than or equal to 60"),
        ({"rubric-0-points": "0"}, "greater than or equal to 1"),
    ],
)
def test_times_and_points_out_of_range_get_a_plain_message(
    client: Client, admin_user, question, change, message
) -> None:
    client.force_login(admin_user)
    data = form_data(client, question, **change)
    response = client.post(reverse("admin:questionbank_question_change", args=[question.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200 and message in html and "Constraint" not in html


def test_the_preview_renders_markdown_and_leaves_math_to_katex(client: Client, admin_user) -> None:
    client.force_login(admin_user)
    url = reverse("admin:questionbank_question_preview") + "?field=prompt"
    response = client.post(url, {"prompt": "**粗体** $\\sqrt{d_k}$ <script>x</script>"})
    html = response.content.decode()
    assert "<strong>粗体</strong>" in html
    assert '<span class="math inline">\\sqrt{d_k}</span>' in html
    assert "<script>" not in html
    assert client.post(reverse("admin:questionbank_question_preview") + "?field=slug").status_code == 400


def test_the_preview_is_for_staff_only(client: Client, candidate) -> None:
    client.force_login(candidate)
    response = client.post(reverse("admin:questionbank_question_preview") + "?field=prompt", {"prompt": "x"})
    assert response.status_code == 302  # to the admin log-in


def test_status_actions_publish_only_complete_rubrics(client: Client, admin_user, question) -> None:
    incomplete = QuestionFactory(slug="half", status=Question.Status.DRAFT, rubric=[4, 3])
    proposed = QuestionFactory(slug="proposed", status=Question.Status.DRAFT)
    RubricCriterion.objects.filter(question=proposed).update(proposed=True)
    wrong_claim = QuestionFactory(
        slug="wrong-claim", status=Question.Status.DRAFT, misconceptions=[{"claim": "MQA 减少查询头"}]
    )
    Misconception.objects.filter(question=wrong_claim).update(proposed=True)
    question.status = Question.Status.DRAFT
    question.save()
    client.force_login(admin_user)
    url = reverse("admin:questionbank_question_changelist")
    ids = [str(q.pk) for q in (question, incomplete, proposed, wrong_claim)]
    client.post(url, {"action": "publish", "_selected_action": ids})
    statuses = dict(Question.objects.values_list("slug", "status"))
    assert statuses == {"mqa": "published", "half": "draft", "proposed": "draft", "wrong-claim": "draft"}
    client.post(url, {"action": "retire", "_selected_action": ids})
    assert set(Question.objects.values_list("status", flat=True)) == {"retired"}


def test_edits_are_in_the_history_with_who_and_what(client: Client, admin_user, question) -> None:
    client.force_login(admin_user)
    data = form_data(client, question, prompt="MQA 与 GQA 的区别?", **{"rubric-1-description": "新的要点"})
    response = client.post(reverse("admin:questionbank_question_change", args=[question.pk]), data)
    assert response.status_code == 302
    latest = question.history.first()
    assert latest.history_user == admin_user and latest.prompt == "MQA 与 GQA 的区别?"
    point = RubricCriterion.history.filter(question_id=question.pk, history_type="~").first()
    assert point.history_user == admin_user and point.description == "新的要点"
    page = client.get(reverse("admin:questionbank_question_change", args=[question.pk])).content.decode()
    assert "新的要点" in page and "admin" in page


def test_the_question_list_columns_are_labelled_in_chinese(client: Client, admin_user, question) -> None:
    client.force_login(admin_user)
    page = client.get(
        reverse("admin:questionbank_question_changelist"), headers={"accept-language": "zh-hans"}
    ).content.decode()

    header = page.split('class="column-question_title')[1].split("</th>")[0]
    assert "题目" in header and "Title" not in header


def test_the_history_page_is_in_chinese_to_its_last_column(client: Client, admin_user, question) -> None:
    """simple-history's own catalogue lacks "Changes"; the project's supplies it."""
    client.force_login(admin_user)
    client.post(
        reverse("admin:questionbank_question_change", args=[question.pk]),
        form_data(client, question, prompt="MQA 与 GQA 的区别?"),
    )
    history = reverse("admin:questionbank_question_history", args=[question.pk])
    page = client.get(history, headers={"accept-language": "zh-hans"}).content.decode()

    header = page.split("<thead>")[1].split("</thead>")[0]
    assert "改动" in header and "Changes" not in header


def test_admin_strings_djangos_catalogue_lacks_are_in_chinese(client: Client, admin_user) -> None:
    client.force_login(admin_user)
    page = client.get(reverse("admin:index"), headers={"accept-language": "zh-hans"}).content.decode()

    heads = page.split('<thead class="visually-hidden">')[1].split("</thead>")[0]
    assert "模型名称" in heads and "添加链接" in heads and "修改或查看列表链接" in heads
    add_user = client.get(reverse("admin:accounts_user_add"), headers={"accept-language": "zh-hans"})
    assert "创建用户后，你可以编辑更多用户选项。" in add_user.content.decode()


def test_misconceptions_are_added_once_the_rubric_is_saved(client: Client, admin_user, question) -> None:
    """A misconception must name a saved rubric point: the add page has none to offer, so it says when."""
    client.force_login(admin_user)
    add = client.get(reverse("admin:questionbank_question_add")).content.decode()
    assert 'id="misconceptions-group"' not in add
    assert '<option value="draft" selected>' in add  # and it starts as a draft
    assert "add them after saving the question with its rubric" in add

    change = client.get(reverse("admin:questionbank_question_change", args=[question.pk])).content.decode()
    assert 'id="misconceptions-group"' in change
