"""Coaching mode, one-question practice, retry with a history of grades, repeating a set, titles, regrades."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from interviews.models import Answer, Attempt, Grade, ReviewTiming, Session
from interviews.services.practice import MODE_COACHING, attempt_start_practice
from interviews.titles import session_title
from questionbank.models import Question, Topic
from tests.interviews.factories import GradeFactory
from tests.questionbank.factories import QuestionFactory, TopicFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
SET_UP = {"topics": ["inference"], "difficulty": "", "count": "2", "time_mode": "total", "minutes": "15"}


@pytest.fixture
def bank(db) -> None:
    """A small bank of its own (the real one is tested elsewhere): four inference questions, one hard."""
    inference = TopicFactory(slug="inference", name_zh="推理", name_en="Inference")
    evaluation = TopicFactory(slug="evaluation", name_zh="评测", name_en="Evaluation")
    for _ in range(4):
        QuestionFactory(topics=[inference])
    QuestionFactory(topics=[evaluation], difficulty=Question.Difficulty.HARD)
    QuestionFactory(topics=[evaluation], status=Question.Status.DRAFT)


@pytest.fixture
def client_in(client, candidate):
    client.force_login(candidate)
    return client


def coaching_attempt(candidate, *, reference_now: bool = True, count: int = 2) -> Attempt:
    return attempt_start_practice(
        candidate=candidate,
        topic_slugs=["inference"],
        difficulty="",
        count=count,
        time_mode="total",
        minutes=15,
        mode=MODE_COACHING,
        reference_now=reference_now,
    )


def grade(answer: Answer, score: str = "6", **fields: object) -> Grade:
    answer.refresh_from_db()
    return GradeFactory(answer=answer, score=Decimal(score), max_score=Decimal("10"), **fields)


def test_set_up_picks_coaching_mode(client_in, candidate, bank):
    response = client_in.post(reverse("practice_new"), {**SET_UP, "mode": "coaching"})

    session = Attempt.objects.get(candidate=candidate).session
    assert response.status_code == 302
    assert session.review_feedback == ReviewTiming.AFTER_ANSWER
    # The box was not ticked: the reference waits for the end of the session.
    assert session.review_reference == ReviewTiming.AFTER_SESSION


def test_set_up_without_a_mode_is_an_exam(client_in, candidate, bank):
    client_in.post(reverse("practice_new"), SET_UP)

    assert Attempt.objects.get(candidate=candidate).session.review_feedback == ReviewTiming.AFTER_SESSION


def test_coaching_shows_the_grade_after_the_answer_while_the_interview_runs(client_in, candidate, bank):
    attempt = coaching_attempt(candidate)
    response = client_in.post(reverse("answer_submit", args=[attempt.pk, 1]), {"text": "KV cache 保存键和值"})

    # Coaching stays on the question, which polls for its grade.
    assert response["Location"] == reverse("attempt_detail", args=[attempt.pk]) + "?q=1"
    page = client_in.get(response["Location"]).content.decode()
    feedback_url = reverse("answer_feedback", args=[attempt.pk, 1])
    assert f'hx-get="{feedback_url}"' in page and 'hx-trigger="every 2s"' in page

    answer = attempt.answers.get(position=1)
    grade(answer, "7", feedback="缺少显存的计算。")
    fragment = client_in.get(feedback_url, **HTMX).content.decode()

    attempt.refresh_from_db()
    assert attempt.is_open
    assert "缺少显存的计算" in fragment and "<strong>7</strong>" in fragment
    assert "hx-trigger" not in fragment  # graded: the polling stops
    assert "Reference answer" in fragment


def test_coaching_hides_the_reference_when_the_options_say_so(client_in, candidate, bank):
    attempt = coaching_attempt(candidate, reference_now=False)
    client_in.post(reverse("answer_submit", args=[attempt.pk, 1]), {"text": "answer"})
    grade(attempt.answers.get(position=1))

    fragment = client_in.get(reverse("answer_feedback", args=[attempt.pk, 1]), **HTMX).content.decode()

    assert "Feedback" in fragment
    assert "Reference answer" not in fragment


def test_coaching_opens_the_reference_only_after_an_answer_with_content(client_in, candidate, bank):
    attempt = coaching_attempt(candidate)
    client_in.post(reverse("answer_submit", args=[attempt.pk, 1]), {"text": "  \n "})
    grade(attempt.answers.get(position=1), "0")

    fragment = client_in.get(reverse("answer_feedback", args=[attempt.pk, 1]), **HTMX).content.decode()

    assert "Reference answer" not in fragment
    assert "opens after an answer with content" in fragment


def test_coaching_on_an_empty_answer_names_no_point_and_speaks_the_viewers_language(
    client_in, candidate, bank
):
    attempt = coaching_attempt(candidate)
    client_in.post(reverse("answer_submit", args=[attempt.pk, 1]), {"text": "  \n "})
    grade(attempt.answers.get(position=1), "0", flags=["empty"], feedback="没有作答。")

    fragment = client_in.get(reverse("answer_feedback", args=[attempt.pk, 1]), **HTMX).content.decode()

    assert "Key point 1 (shown with the reference answer)" in fragment
    assert "指出 Q、K 使用不同投影的作用" not in fragment  # the rubric point is the reference in small
    assert "No answer was given." in fragment and "没有作答" not in fragment


def test_an_exam_shows_no_grade_before_the_end(client_in, attempt):
    client_in.post(reverse("answer_submit", args=[attempt.pk, 1]), {"text": "answer"})
    grade(attempt.answers.get(position=1))

    page = client_in.get(reverse("attempt_detail", args=[attempt.pk]) + "?q=1").content.decode()
    feedback = client_in.get(reverse("answer_feedback", args=[attempt.pk, 1]), **HTMX)

    assert 'id="coaching"' not in page
    assert feedback.status_code == 404


def test_asking_for_more_questions_than_match_offers_the_number_that_do(client_in, candidate, bank):
    matching = Question.objects.filter(status="published", topics__slug="evaluation").count()
    data = {**SET_UP, "topics": ["evaluation"], "difficulty": "hard", "count": "20"}

    offer = client_in.post(reverse("practice_new"), data)
    taken = client_in.post(reverse("practice_new"), {**data, "take": str(matching)})

    assert 0 < matching < 20
    assert offer.status_code == 422
    assert f'name="take" value="{matching}"' in offer.content.decode()
    assert taken.status_code == 302
    assert Attempt.objects.get(candidate=candidate).answers.count() == matching


def test_the_question_page_starts_a_one_question_attempt_of_that_question(client_in, candidate, bank):
    question = Question.objects.filter(status="published").first()

    response = client_in.post(reverse("practice_question", args=[question.slug]))

    attempt = Attempt.objects.get(candidate=candidate)
    assert response["Location"] == reverse("attempt_detail", args=[attempt.pk])
    assert [a.question_id for a in attempt.answers.all()] == [question.pk]
    assert attempt.session.time_limit_seconds == question.suggested_seconds
    assert attempt.session.review_feedback == ReviewTiming.AFTER_ANSWER


def test_try_again_starts_one_question_and_the_results_show_both_grades(client_in, candidate, attempt):
    client_in.post(reverse("attempt_finish", args=[attempt.pk]))
    first = attempt.answers.get(position=2)
    grade(first, "3")

    response = client_in.post(reverse("answer_retry", args=[attempt.pk, 2]))

    retry = Attempt.objects.exclude(pk=attempt.pk).get(candidate=candidate)
    assert response["Location"] == reverse("attempt_detail", args=[retry.pk])
    again = retry.answers.get()
    assert again.question_id == first.question_id
    client_in.post(reverse("answer_submit", args=[retry.pk, 1]), {"text": "better"})
    grade(again, "8")
    html = client_in.get(reverse("attempt_results", args=[retry.pk])).content.decode()
    assert "Your grades on this question" in html
    assert html.index("3 / 10") < html.index("8 / 10")


def test_an_ungraded_answer_cannot_be_tried_again(client_in, candidate, attempt):
    response = client_in.post(reverse("answer_retry", args=[attempt.pk, 1]), follow=True)

    assert "Only a graded answer can be tried again." in response.content.decode()
    assert Attempt.objects.filter(candidate=candidate).count() == 1


def test_repeat_this_set_restarts_the_same_questions_in_order(client_in, candidate, attempt):
    client_in.post(reverse("attempt_finish", args=[attempt.pk]))

    client_in.post(reverse("attempt_repeat", args=[attempt.pk]))

    repeat = Attempt.objects.exclude(pk=attempt.pk).get(candidate=candidate)
    questions = list(attempt.answers.values_list("question_id", flat=True))
    assert list(repeat.answers.values_list("question_id", flat=True)) == questions
    assert repeat.session.time_limit_seconds == attempt.session.time_limit_seconds
    assert session_title(repeat.session) == session_title(attempt.session)


def test_an_interviewers_session_is_not_repeated_as_a_practice(client_in, candidate, attempt):
    Session.objects.filter(pk=attempt.session_id).update(kind=Session.Kind.INTERVIEW)
    client_in.post(reverse("attempt_finish", args=[attempt.pk]))

    results = client_in.get(reverse("attempt_results", args=[attempt.pk])).content.decode()
    refused = client_in.post(reverse("attempt_repeat", args=[attempt.pk]), follow=True).content.decode()

    assert reverse("attempt_repeat", args=[attempt.pk]) not in results
    assert "cannot be repeated as a practice" in refused
    assert Attempt.objects.filter(candidate=candidate).count() == 1


def test_another_candidates_answer_cannot_be_retried_or_repeated(client, other_candidate, attempt):
    client.force_login(other_candidate)

    assert client.post(reverse("answer_retry", args=[attempt.pk, 1])).status_code == 404
    assert client.post(reverse("attempt_repeat", args=[attempt.pk])).status_code == 404


def test_a_practice_title_is_built_in_the_viewers_language(candidate, bank):
    session = coaching_attempt(candidate).session
    topic = Topic.objects.get(slug="inference")

    with translation.override("en"):
        english = session_title(session)
    with translation.override("zh-hans"):
        chinese = session_title(session)

    assert english == f"Practice: {topic.name_en}"
    assert topic.name_zh in chinese and topic.name_en not in chinese
    assert session.title == ""


def test_a_regrade_says_when_and_why_with_the_earlier_score(client_in, attempt):
    client_in.post(reverse("attempt_finish", args=[attempt.pk]))
    answer = attempt.answers.get(position=1)
    grade(answer, "4", is_current=False, rubric_hash="old-rubric")
    grade(answer, "6")
    for other in attempt.answers.exclude(pk=answer.pk):
        grade(other)

    html = client_in.get(reverse("attempt_results", args=[attempt.pk])).content.decode()

    assert "Regraded" in html
    assert "the question&#x27;s rubric was changed" in html
    assert "The earlier score was 4 / 10" in html


def test_a_legacy_stored_title_is_shown_as_stored(candidate):
    session = Session(title="Interview for ACME", owner=candidate, time_limit_seconds=60)

    assert session_title(session) == "Interview for ACME"


def test_time_on_a_question_counts_up_to_the_finish_at_the_deadline_not_the_last_autosave(
    client_in, candidate, bank, time_machine
):
    time_machine.move_to("2026-03-02 09:00:00+00:00", tick=False)
    attempt = attempt_start_practice(
        candidate=candidate, topic_slugs=[], difficulty="", count=1, time_mode="total", minutes=1
    )
    client_in.post(reverse("answer_save", args=[attempt.pk, 1]), {"text": "a", "seconds_spent": "1"}, **HTMX)

    time_machine.move_to("2026-03-02 09:01:00+00:00", tick=False)
    client_in.post(
        reverse("attempt_finish", args=[attempt.pk]), {"position": "1", "text": "ab", "seconds_spent": "60"}
    )

    answer = attempt.answers.get()
    assert (answer.text, answer.seconds_spent) == ("ab", 60)


def test_time_on_a_question_counts_up_to_its_submission(client_in, candidate, bank, time_machine):
    time_machine.move_to("2026-03-02 09:00:00+00:00", tick=False)
    attempt = coaching_attempt(candidate)
    time_machine.move_to("2026-03-02 09:00:40+00:00", tick=False)

    client_in.post(reverse("answer_submit", args=[attempt.pk, 1]), {"text": "done", "seconds_spent": "40"})

    assert attempt.answers.get(position=1).seconds_spent == 40


def test_stored_practice_titles_are_turned_into_kinds_by_the_data_migration(candidate, bank):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("interviews.migrations.0008_practice_titles_built_at_display")
    titles = {"topics": "练习: 推理, Evaluation", "mix": "练习: 随机组合", "edited": "练习: my own words"}
    stored = {
        key: Session.objects.create(owner=candidate, title=title, time_limit_seconds=60)
        for key, title in titles.items()
    }

    migration.titles_to_kinds(apps, None)

    for session in stored.values():
        session.refresh_from_db()
    assert (stored["topics"].practice_kind, stored["topics"].title) == ("topics", "")
    assert {t.slug for t in stored["topics"].practice_topics.all()} == {"inference", "evaluation"}
    with translation.override("en"):
        assert session_title(stored["mix"]) == "Practice: random mix"
    assert (stored["edited"].practice_kind, stored["edited"].title) == ("", "练习: my own words")


def test_a_one_question_practice_title_renders_its_formula(client_in, candidate):
    question = QuestionFactory(slug="sqrt", prompt="为什么要除以 $\\sqrt{d_k}$？")
    client_in.post(reverse("practice_question", args=[question.slug]))
    attempt = Attempt.objects.get(candidate=candidate)

    page = client_in.get(reverse("attempt_detail", args=[attempt.pk])).content.decode()
    listing = client_in.get(reverse("attempt_list")).content.decode()

    for html in (page, listing):
        assert '<span class="math inline">\\sqrt{d_k}</span>' in html
        assert "$\\sqrt{d_k}$" not in html.split("<title>")[1].split("</title>")[1]
