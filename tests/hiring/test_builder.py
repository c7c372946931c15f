"""The session builder: search, add, reorder, remove, times, settings, duplicate; owners only."""

from __future__ import annotations

import re
from datetime import UTC

import pytest
from django.urls import reverse

from interviews.models import Session, SessionItem
from questionbank.models import Question
from tests.hiring.conftest import HTMX, login
from tests.questionbank.factories import QuestionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def orders(session: Session) -> list[int]:
    return list(session.items.order_by("order").values_list("pk", flat=True))


def test_an_interviewer_makes_a_session_and_lands_on_its_builder(client, interviewer):
    response = login(client, interviewer).post(reverse("hiring_session_new"))

    session = Session.objects.get(owner=interviewer)
    assert response.status_code == 302 and response["Location"] == reverse(
        "hiring_builder", args=[session.pk]
    )
    assert session.kind == Session.Kind.INTERVIEW and not session.is_open
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("words", ["缩放", "attention", "注意力机制", "ATTENTION 缩放"])
def test_search_finds_questions_in_chinese_and_english_words(client, session, interviewer, words):
    topic = TopicFactory(slug="attention")
    wanted = QuestionFactory(prompt="为什么要做缩放？", topics=[topic])
    QuestionFactory(prompt="完全无关的问题")

    response = login(client, interviewer).get(
        reverse("hiring_search", args=[session.pk]), {"q": words}, **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200 and html.strip().startswith('<ul id="search-results"')
    assert "为什么要做缩放" in html and "完全无关" not in html
    # Questions already in the session are not offered again.
    assert session.items.first().question.prompt not in html
    assert wanted.pk


def test_search_filters_by_topic_and_difficulty_and_hides_others_drafts(
    client, session, interviewer, other_interviewer
):
    topic = TopicFactory(slug="rag")
    QuestionFactory(prompt="RAG hard", topics=[topic], difficulty="hard")
    QuestionFactory(prompt="RAG easy", topics=[topic], difficulty="easy")
    QuestionFactory(
        prompt="RAG private of another",
        topics=[topic],
        difficulty="hard",
        status="draft",
        owner=other_interviewer,
    )
    mine = QuestionFactory(
        prompt="RAG private of mine", topics=[topic], difficulty="hard", status="draft", owner=interviewer
    )

    html = (
        login(client, interviewer)
        .get(reverse("hiring_search", args=[session.pk]), {"topic": "rag", "difficulty": "hard"}, **HTMX)
        .content.decode()
    )

    assert "RAG hard" in html and "RAG easy" not in html
    assert mine.prompt in html and "of another" not in html


def test_add_move_remove_and_time_keep_a_dense_order(client, session, interviewer):
    login(client, interviewer)
    question = QuestionFactory(prompt="third")
    first, second = orders(session)

    response = client.post(reverse("hiring_item_add", args=[session.pk]), {"question": question.pk}, **HTMX)
    assert response.status_code == 200 and "third" in response.content.decode()
    assert response["HX-Trigger"] == "items-changed"
    third = SessionItem.objects.get(session=session, question=question).pk

    client.post(reverse("hiring_item_move", args=[session.pk, third]), {"direction": "up"})
    assert orders(session) == [first, third, second]
    client.post(reverse("hiring_item_move", args=[session.pk, first]), {"direction": "up"})  # already on top
    assert orders(session) == [first, third, second]
    client.post(reverse("hiring_item_remove", args=[session.pk, first]))
    assert orders(session) == [third, second]
    assert list(session.items.order_by("order").values_list("order", flat=True)) == [1, 2]

    client.post(reverse("hiring_item_time", args=[session.pk, second]), {"minutes": "7"})
    assert SessionItem.objects.get(pk=second).time_seconds == 420
    response = client.post(
        reverse("hiring_item_time", args=[session.pk, second]), {"minutes": "-3"}, follow=True
    )
    assert "between 1 and 240 minutes" in response.content.decode()


@pytest.mark.parametrize("minutes", ["abc", "1.5", "²", "9" * 5000])
def test_a_time_that_is_no_whole_number_is_refused_with_a_message(client, session, interviewer, minutes):
    item = session.items.first()
    response = login(client, interviewer).post(
        reverse("hiring_item_time", args=[session.pk, item.pk]), {"minutes": minutes}, follow=True
    )
    assert response.status_code == 200 and "whole minutes" in response.content.decode()
    assert SessionItem.objects.get(pk=item.pk).time_seconds == item.time_seconds


@pytest.mark.parametrize("question", ["abc", "1.5", "", "²"])
def test_adding_something_that_is_no_question_id_is_a_404(client, session, interviewer, question):
    response = login(client, interviewer).post(
        reverse("hiring_item_add", args=[session.pk]), {"question": question}
    )
    assert response.status_code == 404 and session.items.count() == 2


def test_the_builder_warns_when_question_times_exceed_the_total_and_asks_before_undoable_buttons(
    client, session, interviewer
):
    url = reverse("hiring_builder", args=[session.pk])
    login(client, interviewer)
    warning = "add up to more than the total time limit"

    Session.objects.filter(pk=session.pk).update(time_limit_seconds=60)
    short = client.get(url).content.decode()
    Session.objects.filter(pk=session.pk).update(time_limit_seconds=4 * 3600)
    long = client.get(url).content.decode()

    assert warning in short and warning not in long
    assert 'data-confirm="Make a new link? The current link stops working at once."' in long
    assert 'hx-confirm="Remove question 1 from the session?"' in long


def test_adding_the_same_question_twice_says_so(client, session, interviewer):
    question = session.items.first().question
    response = login(client, interviewer).post(
        reverse("hiring_item_add", args=[session.pk]), {"question": question.pk}, **HTMX
    )
    assert "already in the session" in response.content.decode()
    assert session.items.count() == 2


def test_a_random_item_is_added_with_its_choice(client, session, interviewer):
    TopicFactory(slug="rag")
    login(client, interviewer).post(
        reverse("hiring_item_random", args=[session.pk]),
        {"random-count": "2", "random-difficulty": "medium", "random-topic": "rag"},
    )
    item = session.items.get(question__isnull=True)
    assert (item.count, item.difficulty, item.topic.slug, item.order) == (2, "medium", "rag", 3)
    page = client.get(reverse("hiring_builder", args=[session.pk])).content.decode()
    assert "2 random questions" in page
    ids = re.findall(r'id="(id_[^"]+)"', page)
    assert len(ids) == len(set(ids)), "each field of the page has its own id"


def test_settings_are_saved_and_bad_times_are_refused(client, session, interviewer):
    login(client, interviewer)
    data = {
        "title": "Hire 2",
        "minutes": "45",
        "review_feedback": "never",
        "review_reference": "after_session",
        "is_open": "on",
        "opens_at": "2030-01-01T09:00",
        "closes_at": "2030-01-02T09:00",
        "attempts_allowed": "2",
    }
    assert client.post(reverse("hiring_settings", args=[session.pk]), data).status_code == 302
    session.refresh_from_db()
    assert (session.title, session.time_limit_seconds, session.review_feedback, session.attempts_allowed) == (
        "Hire 2",
        2700,
        "never",
        2,
    )
    assert session.is_open and session.opens_at.year == 2030

    bad = {**data, "closes_at": "2029-12-31T09:00", "attempts_allowed": "0"}
    response = client.post(reverse("hiring_settings", args=[session.pk]), bad)
    assert response.status_code == 422
    assert "closing time must be after" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("opens_at", "0001-01-01T00:00", "between the years 2000 and 2999"),
        ("closes_at", "9999-12-31T23:59", "between the years 2000 and 2999"),
        ("title", "   ", "This field is required"),
    ],
)
def test_settings_refuse_far_dates_and_a_blank_title_with_a_message(
    client, session, interviewer, field, value, message
):
    data = {
        "title": "Hire 3",
        "minutes": "30",
        "review_feedback": "never",
        "review_reference": "after_session",
        "attempts_allowed": "1",
        field: value,
    }
    response = login(client, interviewer).post(reverse("hiring_settings", args=[session.pk]), data)
    assert response.status_code == 422 and message in response.content.decode()
    session.refresh_from_db()
    assert session.title != "Hire 3"


def test_duplicate_copies_questions_and_settings_with_a_new_link(client, session, interviewer):
    response = login(client, interviewer).post(reverse("hiring_duplicate", args=[session.pk]))
    copy = Session.objects.exclude(pk=session.pk).get()
    assert response["Location"] == reverse("hiring_builder", args=[copy.pk])
    assert list(copy.items.values_list("question", "order")) == list(
        session.items.values_list("question", "order")
    )
    assert copy.invite_token != session.invite_token and copy.time_limit_seconds == session.time_limit_seconds


def custom_question(
    *, points: list[tuple[str, str]], wrong: list[tuple[str, str, str]] | None = None, **fields: str
) -> dict[str, str]:
    """The custom-question form as a browser posts it: `fields`, the key points (description, points) and the
    wrong claims (claim, phrasings, key point no.)."""
    data = {
        "prompt": "问题",
        "reference_answer": "参考",
        "difficulty": "easy",
        "language": "zh",
        "topic": "",
        "minutes": "5",
        **fields,
        "rubric-TOTAL_FORMS": str(len(points)),
        "rubric-INITIAL_FORMS": "0",
        "wrong-TOTAL_FORMS": str(len(wrong or [])),
        "wrong-INITIAL_FORMS": "0",
    }
    for i, (description, value) in enumerate(points):
        data |= {f"rubric-{i}-description": description, f"rubric-{i}-points": value}
    for i, (claim, phrasings, point) in enumerate(wrong or []):
        data |= {f"wrong-{i}-claim": claim, f"wrong-{i}-phrasings": phrasings, f"wrong-{i}-point": point}
    return data


def test_a_custom_question_is_created_private_with_rubric_and_misconceptions(client, session, interviewer):
    data = custom_question(
        prompt="解释 RoPE 的外推问题",
        reference_answer="RoPE 用旋转编码位置……",
        difficulty="hard",
        minutes="6",
        points=[("说明旋转角随位置增长", "4"), ("指出超出训练长度的角度没见过", "6")],
        wrong=[("RoPE 没有外推问题", "RoPE 可以无限外推\nRoPE 天然外推", "2")],
    )
    response = login(client, interviewer).post(reverse("hiring_question_new", args=[session.pk]), data)

    assert response.status_code == 302
    question = Question.objects.get(prompt="解释 RoPE 的外推问题")
    assert (question.status, question.owner, question.suggested_seconds) == ("draft", interviewer, 360)
    assert [(c.description, c.points) for c in question.rubric.all()] == [
        ("说明旋转角随位置增长", 4),
        ("指出超出训练长度的角度没见过", 6),
    ]
    wrong = question.misconceptions.get()
    assert wrong.phrasings == ["RoPE 可以无限外推", "RoPE 天然外推"] and wrong.criterion.points == 6
    assert session.items.order_by("order").last().question == question
    # Not in the catalogue, for anybody.
    assert "RoPE" not in client.get(reverse("catalogue")).content.decode()


def test_a_custom_question_in_english_is_graded_against_what_the_interviewer_wrote(
    client, session, interviewer
):
    from interviews.grading.offline import OfflineJudge
    from interviews.services.judges import judge_input_for_question

    reference = (
        "Multi-query attention lets every query head share one key head and one value head. "
        "The KV cache shrinks by the number of heads, so decoding reads far less memory."
    )
    data = custom_question(
        prompt="What is multi-query attention and why does it speed up decoding?",
        reference_answer=reference,
        language="en",
        points=[
            ("All query heads share one key and value head", "5"),
            ("The KV cache shrinks, so decoding reads less memory", "5"),
        ],
    )
    login(client, interviewer).post(reverse("hiring_question_new", args=[session.pk]), data)
    question = Question.objects.get(language="en", owner=interviewer)

    judged = judge_input_for_question(
        question=question,
        criteria=list(question.rubric.all()),
        misconceptions=[],
        answer_text=reference,
    )
    result = OfflineJudge().grade(judged)

    assert judged.criteria[0].description == "All query heads share one key and value head"
    assert result.score >= 8 and "off_topic" not in result.flags


def test_a_custom_question_without_rubric_is_refused_and_keeps_the_text(client, session, interviewer):
    data = custom_question(points=[("", "")])
    response = login(client, interviewer).post(reverse("hiring_question_new", args=[session.pk]), data)
    assert response.status_code == 422
    assert "at least one rubric point" in response.content.decode() and "参考" in response.content.decode()
    assert not Question.objects.filter(prompt="问题").exists()


def test_phrasings_without_their_wrong_claim_are_refused_not_dropped(client, session, interviewer):
    data = custom_question(points=[("要点", "10")], wrong=[("", "说法一\n说法二", "1")])
    response = login(client, interviewer).post(reverse("hiring_question_new", args=[session.pk]), data)
    assert response.status_code == 422 and "Write the wrong claim" in response.content.decode()
    assert "说法一" in response.content.decode() and not Question.objects.filter(prompt="问题").exists()


@pytest.mark.parametrize(
    ("browser_zone", "utc_hour", "shown_zone"),
    [
        ("Europe/Berlin", 8, "Europe/Berlin"),  # UTC+1 in January
        ("", 1, "Asia/Shanghai"),  # no cookie yet: the site's zone, UTC+8
        ("Mars/Olympus_Mons", 1, "Asia/Shanghai"),  # no such zone: the site's
    ],
)
def test_session_times_are_entered_and_shown_in_the_viewers_time_zone(
    client, session, interviewer, browser_zone, utc_hour, shown_zone
):
    login(client, interviewer)
    client.cookies["tz"] = browser_zone
    data = {"title": "Hire", "minutes": "45", "review_feedback": "never", "review_reference": "after_session"}
    data |= {"is_open": "on", "opens_at": "2030-01-01T09:00", "attempts_allowed": "1"}

    assert client.post(reverse("hiring_settings", args=[session.pk]), data).status_code == 302

    session.refresh_from_db()
    assert session.opens_at.astimezone(UTC).hour == utc_hour
    page = client.get(reverse("hiring_builder", args=[session.pk])).content.decode()
    assert 'value="2030-01-01T09:00"' in page
    assert f"Time zone: {shown_zone}." in page


def test_once_a_candidate_has_started_the_questions_are_fixed_and_the_builder_says_so(
    client, session, interviewer, take, candidate
):
    take(candidate)
    login(client, interviewer)
    first, second = session.items.order_by("order")
    other = QuestionFactory(status=Question.Status.PUBLISHED)
    builder = reverse("hiring_builder", args=[session.pk])

    changes = [
        (reverse("hiring_item_move", args=[session.pk, first.pk]), {"direction": "down"}),
        (reverse("hiring_item_remove", args=[session.pk, second.pk]), {}),
        (reverse("hiring_item_add", args=[session.pk]), {"question": other.pk}),
        (reverse("hiring_item_time", args=[session.pk, first.pk]), {"minutes": "9"}),
        (reverse("hiring_item_random", args=[session.pk]), {"random-count": "1"}),
    ]
    for url, data in changes:
        page = client.post(url, data, follow=True).content.decode()
        assert "its questions can no longer change" in page, url

    assert [(i.pk, i.order, i.time_seconds) for i in session.items.order_by("order")] == [
        (first.pk, 1, 300),
        (second.pk, 2, 300),
    ]
    page = client.get(builder).content.decode()
    assert "its questions are fixed" in page and 'id="search-q"' not in page
    assert changes[1][0] not in page  # no remove button
    copy = client.post(reverse("hiring_duplicate", args=[session.pk]), follow=True)
    assert "its questions are fixed" not in copy.content.decode()  # the copy is free to change
