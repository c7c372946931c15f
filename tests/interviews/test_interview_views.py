"""The interview screens through the test client: access, refusals with messages, fragments, queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interviews.grading.types import Flag
from interviews.models import Answer, Attempt, SessionItem
from interviews.selectors.attempts import FLAGS
from interviews.services.attempts import answer_save_draft, attempt_finish
from interviews.templatetags.clock import end_time
from questionbank.models import Question
from tests.interviews.deadlines import after_grace
from tests.interviews.factories import GradeFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client_in(client, candidate):
    client.force_login(candidate)
    return client


def save_url(attempt: Attempt, position: int = 1) -> str:
    return reverse("answer_save", args=[attempt.pk, position])


def submit_url(attempt: Attempt, position: int = 1) -> str:
    return reverse("answer_submit", args=[attempt.pk, position])


# --- Set-up -------------------------------------------------------------------------------------------


def test_set_up_starts_an_attempt_and_opens_its_first_question(client_in, candidate, bank):
    response = client_in.post(
        reverse("practice_new"),
        {
            "topics": ["inference", "alignment"],
            "difficulty": "",
            "count": "2",
            "time_mode": "total",
            "minutes": "15",
        },
    )

    attempt = Attempt.objects.get(candidate=candidate)
    assert response.status_code == 302
    assert response["Location"] == reverse("attempt_detail", args=[attempt.pk])
    assert attempt.answers.count() == 2
    assert attempt.session.time_limit_seconds == 15 * 60


def test_random_mix_ignores_topics_and_difficulty(client_in, candidate, bank):
    response = client_in.post(
        reverse("practice_new"),
        {"topics": ["evaluation"], "difficulty": "hard", "count": "12", "time_mode": "suggested", "mix": "1"},
    )

    assert response.status_code == 302
    assert Attempt.objects.get(candidate=candidate).answers.count() == 12


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"count": "0", "time_mode": "total", "minutes": "10"}, "greater than or equal to 1"),
        ({"count": "abc", "time_mode": "total", "minutes": "10"}, "Enter a whole number"),
        ({"count": "99", "time_mode": "total", "minutes": "10"}, "less than or equal to 20"),
        ({"count": "3", "time_mode": "total", "minutes": ""}, "Give the time limit in minutes"),
        ({"count": "3", "time_mode": "total", "minutes": "100000"}, "less than or equal to 240"),
        ({"count": "3", "time_mode": "later", "minutes": "10"}, "Select a valid choice"),
        ({"count": "3", "topics": "nope", "time_mode": "total", "minutes": "10"}, "Select a valid choice"),
        (
            {"count": "3", "difficulty": "brutal", "time_mode": "total", "minutes": "10"},
            "Select a valid choice",
        ),
        (
            {
                "count": "20",
                "topics": "evaluation",
                "difficulty": "hard",
                "time_mode": "total",
                "minutes": "10",
            },
            "published question",
        ),
        ({}, "This field is required"),
    ],
)
def test_bad_set_up_input_gives_messages_not_errors(client_in, bank, data, message):
    response = client_in.post(reverse("practice_new"), data)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_time_out_of_range_gets_its_own_message_only(client_in, bank):
    response = client_in.post(reverse("practice_new"), {"count": "3", "time_mode": "total", "minutes": "0"})

    html = response.content.decode()
    assert "greater than or equal to 1" in html and "Give the time limit in minutes" not in html


def test_set_up_page_counts_the_matching_questions_as_the_choice_changes(client_in, bank):
    inference = Question.objects.filter(status=Question.Status.PUBLISHED, topics__slug="inference").count()

    page = client_in.get(reverse("practice_new"))
    # While the candidate is still typing the count, the fragment answers for the topics alone.
    fragment = client_in.get(
        reverse("practice_new"), {"topics": "inference", "difficulty": "", "count": ""}, **HTMX
    )

    assert page.status_code == 200 and 'name="topics" value="inference"' in page.content.decode()
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert html.strip().startswith('<p id="match"')
    assert f"{inference} published questions match" in html


def test_pages_need_a_logged_in_user(client, attempt):
    for url in (
        reverse("practice_new"),
        reverse("attempt_list"),
        reverse("attempt_detail", args=[attempt.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Access -------------------------------------------------------------------------------------------


def test_another_users_attempt_is_a_404_everywhere(client, other_candidate, attempt):
    client.force_login(other_candidate)
    pk = attempt.pk
    gets = [reverse("attempt_detail", args=[pk]), reverse("attempt_results", args=[pk])]
    posts = [
        save_url(attempt),
        submit_url(attempt),
        reverse("answer_preview", args=[pk, 1]),
        reverse("attempt_finish", args=[pk]),
    ]

    assert [client.get(url).status_code for url in gets] == [404, 404]
    assert [client.post(url, {"text": "x", "position": 1}).status_code for url in posts] == [404] * 4
    attempt.refresh_from_db()
    assert attempt.is_open
    assert set(attempt.answers.values_list("text", "status")) == {("", Answer.Status.DRAFT)}


def test_autosave_of_another_users_answer_is_refused(client, other_candidate, attempt):
    client.force_login(other_candidate)

    response = client.post(save_url(attempt), {"text": "不是我的"}, **HTMX)

    assert response.status_code == 404
    assert attempt.answers.get(position=1).text == ""


# --- The interview page and autosave -------------------------------------------------------------------


def test_interview_page_shows_one_question_the_side_list_and_the_server_time_left(client_in, attempt):
    answer_save_draft(answer=attempt.answers.get(position=2), text="草稿")

    response = client_in.get(reverse("attempt_detail", args=[attempt.pk]), {"q": 2})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="qnav-item') == 3
    assert 'class="qnav-item state-draft"' in html and 'class="qnav-item state-not_started"' in html
    assert ">草稿</textarea>" in html
    ms_left = int(html.split('data-ms-left="')[1].split('"')[0])
    assert 29 * 60 * 1000 < ms_left <= 30 * 60 * 1000


def test_each_question_shows_its_planned_time_and_the_time_spent_on_it(client_in, attempt):
    """The interviewer's time for the question where they set one, else its suggested time; past it, the
    question's clock says so (the total deadline still decides)."""
    first, second = attempt.answers.order_by("position")[:2]
    SessionItem.objects.filter(pk=first.item_id).update(time_seconds=420)
    Answer.objects.filter(pk=first.pk).update(seconds_spent=430)
    Answer.objects.filter(pk=second.pk).update(seconds_spent=65)
    url = reverse("attempt_detail", args=[attempt.pk])

    planned = client_in.get(url, {"q": 1}).content.decode()
    assert "planned 7 min" in planned and 'data-planned="420"' in planned
    assert 'class="muted small question-clock is-over"' in planned
    assert '<span id="question-spent">7:10</span><span class="question-over">' in planned

    suggested = client_in.get(url, {"q": 2}).content.decode()
    minutes = second.question.suggested_seconds // 60
    assert f"suggested {minutes} min" in suggested and "question-clock is-over" not in suggested
    assert '<span class="question-over" hidden>' in suggested

    attempt_finish(attempt=attempt)
    results = client_in.get(reverse("attempt_results", args=[attempt.pk])).content.decode()
    assert '<span class="over-time">7:10 / 7:00</span>' in results


def test_the_interview_page_is_never_cached_and_asks_before_submitting_an_empty_answer(client_in, attempt):
    response = client_in.get(reverse("attempt_detail", args=[attempt.pk]))

    assert "no-store" in response["Cache-Control"]  # back to a finished interview reloads it: its results
    assert 'data-confirm-empty="Your answer is empty. Submit it anyway?' in response.content.decode()


def test_a_bad_question_number_falls_back_to_the_first_open_question(client_in, attempt):
    response = client_in.get(reverse("attempt_detail", args=[attempt.pk]), {"q": "zzz"})

    assert response.status_code == 200
    assert 'data-position="1"' in response.content.decode()


def test_autosave_answers_with_the_saved_time_and_the_side_list_item(client_in, attempt, time_machine):
    time_machine.move_to(attempt.started_at + timedelta(minutes=1), tick=False)

    response = client_in.post(save_url(attempt), {"text": "自动保存", "seconds_spent": "12"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="save-status"' in html and "Saved at" in html
    assert 'id="nav-1" class="qnav-item state-draft" hx-swap-oob="true"' in html
    answer = attempt.answers.get(position=1)
    assert (answer.text, answer.seconds_spent) == ("自动保存", 12)


def test_a_later_autosave_is_three_queries_and_leaves_the_side_list_alone(
    client_in, attempt, django_assert_num_queries
):
    client_in.post(save_url(attempt), {"text": "第一次"}, **HTMX)

    # The user, the answer with its attempt, the update: the session comes from the cache.
    with django_assert_num_queries(3):
        response = client_in.post(save_url(attempt), {"text": "第二次"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200 and "Saved at" in html
    assert 'id="nav-1"' not in html
    assert attempt.answers.get(position=1).text == "第二次"


def test_save_without_javascript_redirects_back_with_a_message(client_in, attempt):
    response = client_in.post(save_url(attempt, 2), {"text": "表单保存"}, follow=True)

    assert response.redirect_chain[-1][0].endswith("?q=2")
    assert "Draft saved at" in response.content.decode()
    assert attempt.answers.get(position=2).text == "表单保存"


def test_over_long_autosave_is_refused_with_the_message_and_the_draft_kept(client_in, attempt, settings):
    answer_save_draft(answer=attempt.answers.get(position=1), text="之前的草稿")
    too_long = "长" * (settings.ANSWER_MAX_CHARS + 1)

    response = client_in.post(save_url(attempt), {"text": too_long}, **HTMX)

    assert response.status_code == 422
    assert f"the limit is {settings.ANSWER_MAX_CHARS}" in response.content.decode()
    assert attempt.answers.get(position=1).text == "之前的草稿"


def test_over_long_answer_without_javascript_stays_in_the_box(client_in, attempt, settings):
    too_long = "字" * (settings.ANSWER_MAX_CHARS + 5)

    response = client_in.post(submit_url(attempt), {"text": too_long})

    html = response.content.decode()
    assert response.status_code == 422
    assert f">{too_long}</textarea>" in html
    assert "the limit is" in html
    assert attempt.answers.get(position=1).status == Answer.Status.DRAFT


def test_late_autosave_is_refused_with_a_message_and_the_last_draft_is_submitted(
    client_in, attempt, time_machine
):
    time_machine.move_to(attempt.deadline - timedelta(seconds=20), tick=False)
    client_in.post(save_url(attempt), {"text": "截止前的草稿"}, **HTMX)
    time_machine.move_to(after_grace(attempt), tick=False)

    response = client_in.post(save_url(attempt), {"text": "截止后的修改"}, **HTMX)

    assert response.status_code == 409
    assert "Time is up" in response.content.decode()
    answer = attempt.answers.get(position=1)
    assert (answer.status, answer.text) == (Answer.Status.SUBMITTED, "截止前的草稿")


def test_opening_an_overdue_attempt_finishes_it_and_shows_the_results(client_in, attempt, time_machine):
    time_machine.move_to(after_grace(attempt), tick=False)

    response = client_in.get(reverse("attempt_detail", args=[attempt.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("attempt_results", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED


def test_preview_renders_sanitised_markdown_and_math(client_in, attempt):
    text = "**注意力** $\\sqrt{d_k}$ <script>alert(1)</script>"

    response = client_in.post(reverse("answer_preview", args=[attempt.pk, 1]), {"text": text}, **HTMX)

    html = response.content.decode()
    assert "<strong>注意力</strong>" in html
    assert '<span class="math inline">' in html
    assert "<script>" not in html
    assert attempt.answers.get(position=1).text == ""  # a preview saves nothing


def test_preview_without_javascript_shows_the_page_with_the_text_kept(client_in, attempt):
    response = client_in.post(reverse("answer_preview", args=[attempt.pk, 1]), {"text": "**要点**"})

    html = response.content.decode()
    assert response.status_code == 200
    assert ">**要点**</textarea>" in html and "<strong>要点</strong>" in html


# --- Submitting and finishing ----------------------------------------------------------------------------


def test_submitting_an_answer_locks_it_and_moves_to_the_next_open_question(client_in, attempt):
    response = client_in.post(submit_url(attempt, 1), {"text": "最终答案"})

    assert response.status_code == 302 and response["Location"].endswith("?q=2")
    answer = attempt.answers.get(position=1)
    assert (answer.status, answer.text) == (Answer.Status.SUBMITTED, "最终答案")
    page = client_in.get(reverse("attempt_detail", args=[attempt.pk]), {"q": 1}).content.decode()
    assert 'id="answer-text"' not in page and "最终答案" in page


def test_a_double_click_on_submit_gives_one_submission(client_in, attempt):
    first = client_in.post(submit_url(attempt), {"text": "只交一次"})
    submitted_at = attempt.answers.get(position=1).submitted_at
    second = client_in.post(submit_url(attempt), {"text": "第二次点击"})

    assert (first.status_code, second.status_code) == (302, 302)
    answer = attempt.answers.get(position=1)
    assert (answer.text, answer.submitted_at) == ("只交一次", submitted_at)
    assert Answer.objects.filter(attempt=attempt, question=answer.question).count() == 1


def test_finish_saves_the_open_text_then_submits_everything(client_in, attempt):
    answer_save_draft(answer=attempt.answers.get(position=2), text="第二题草稿")

    response = client_in.post(
        reverse("attempt_finish", args=[attempt.pk]), {"position": "1", "text": "第一题"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("attempt_results", args=[attempt.pk])
    assert dict(attempt.answers.values_list("position", "text")) == {1: "第一题", 2: "第二题草稿", 3: ""}
    assert not attempt.answers.filter(status=Answer.Status.DRAFT).exists()


def test_the_finish_message_stays_true_once_the_grades_are_in(client_in, attempt):
    """The message is read on the results page, which goes on showing it after grading has finished."""
    client_in.post(reverse("attempt_finish", args=[attempt.pk]), {"position": "1", "text": "第一题"})

    shown = [str(m) for m in client_in.get(reverse("attempt_results", args=[attempt.pk])).context["messages"]]

    assert shown == ["Interview finished: every answer is submitted for grading."]


def test_a_finished_attempt_is_read_only(client_in, attempt):
    answer_save_draft(answer=attempt.answers.get(position=1), text="交卷前")
    attempt_finish(attempt=attempt)

    page = client_in.get(reverse("attempt_detail", args=[attempt.pk]))
    save = client_in.post(save_url(attempt), {"text": "交卷后"}, **HTMX)
    submit = client_in.post(submit_url(attempt), {"text": "交卷后"})
    finish = client_in.post(reverse("attempt_finish", args=[attempt.pk]), {"position": "1", "text": "交卷后"})

    assert page.status_code == 302 and page["Location"] == reverse("attempt_results", args=[attempt.pk])
    assert save.status_code == 409 and "can no longer be changed" in save.content.decode()
    assert submit.status_code == 302 and finish.status_code == 302
    assert attempt.answers.get(position=1).text == "交卷前"


# --- Results -----------------------------------------------------------------------------------------------


def test_results_show_score_verdicts_evidence_feedback_and_reference(client_in, attempt):
    first = attempt.answers.get(position=1)
    answer_save_draft(answer=first, text="Q 和 K 用不同的投影")  # an honest try opens the reference
    attempt_finish(attempt=attempt)
    GradeFactory(answer=first, score="6", max_score="10", flags=["off_topic"])

    response = client_in.get(reverse("attempt_results", args=[attempt.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<span class="score-value">6</span>' in html
    assert "Partly met" in html and "不同的投影让注意力不对称" in html
    assert "<strong>Said against this point:</strong> 没有解释方差" in html  # the judge's note, labelled
    assert 'title="The built-in grader, without a language model,' in html  # what "Offline estimate" means
    assert "思路清楚，缺少对方差的讨论。" in html
    assert "Off topic" in html
    assert html.count("<summary>Reference answer</summary>") == 1  # the blank answers open none
    assert 'hx-trigger="every 2s"' in html  # two answers still grading


def test_results_say_who_graded_and_mark_an_uncertain_grade_with_its_wrong_claims(client_in, attempt):
    attempt_finish(attempt=attempt)
    first, second = attempt.answers.order_by("position")[:2]
    criteria = [
        {
            "criterion_id": 1,
            "description": "写出缩放因子",
            "points_possible": 10,
            "verdict": "met",
            "points": 10,
            "evidence": "除以 $\\sqrt{d_k}$",
            "comment": "",
        }
    ]
    GradeFactory(
        answer=first,
        score="10",
        criteria=criteria,
        uncertain=True,
        confidence=0.2,
        misconceptions=["MQA 减少了查询头的数量"],
    )
    GradeFactory(answer=second, judge="llm", model="gpt-4o-mini")

    html = client_in.get(reverse("attempt_results", args=[attempt.pk])).content.decode()

    first_card, second_card = html.split('id="result-2"')[0], html.split('id="result-2"')[1]
    assert "Offline estimate" in first_card and "Uncertain grade" in first_card
    assert "Wrong claims in your answer" in first_card and "MQA 减少了查询头的数量" in first_card
    # Evidence is rendered like the answer: its formula becomes KaTeX's input span, not raw dollars.
    assert '<span class="math inline">\\sqrt{d_k}</span>' in first_card
    assert "LLM judge (gpt-4o-mini)" in second_card and "Uncertain grade" not in second_card


def test_grade_polling_sends_new_grades_and_stops_when_all_are_graded(
    client_in, attempt, django_assert_max_num_queries
):
    attempt_finish(attempt=attempt)
    answers = list(attempt.answers.order_by("position"))
    GradeFactory(answer=answers[0])
    url = reverse("attempt_results", args=[attempt.pk])

    waiting = client_in.get(url, {"pending": "1,2,3"}, **HTMX).content.decode()
    assert 'id="result-1" class="card result state-graded" hx-swap-oob="true"' in waiting
    assert 'id="result-2"' not in waiting
    assert "pending=2,3" in waiting and 'hx-trigger="every 2s"' in waiting

    # Nothing graded since: no content (htmx keeps polling), for a handful of queries.
    with django_assert_max_num_queries(5):
        unchanged = client_in.get(url, {"pending": "2,3"}, **HTMX)
    assert unchanged.status_code == 204 and unchanged.content == b""

    GradeFactory(answer=answers[1])
    GradeFactory(answer=answers[2])
    done = client_in.get(url, {"pending": "2,3"}, **HTMX).content.decode()
    assert 'id="result-2"' in done and 'id="result-3"' in done and 'id="result-1"' not in done
    assert "hx-trigger" not in done


def test_results_of_a_running_attempt_lead_back_to_the_interview(client_in, attempt):
    response = client_in.get(reverse("attempt_results", args=[attempt.pk]))

    assert response.status_code == 302 and response["Location"] == reverse(
        "attempt_detail", args=[attempt.pk]
    )


def test_attempt_list_shows_only_my_attempts_with_scores(
    client_in, start_practice, candidate, other_candidate
):
    mine = start_practice(candidate, count=2)
    start_practice(other_candidate, count=1)
    attempt_finish(attempt=mine)
    GradeFactory(answer=mine.answers.get(position=1), score="7.5", max_score="10")
    GradeFactory(answer=mine.answers.get(position=2), score="2", max_score="10")

    html = client_in.get(reverse("attempt_list")).content.decode()

    assert html.count('class="attempt-row"') == 1
    assert "<strong>9.5</strong>" in html
    assert reverse("attempt_results", args=[mine.pk]) in html


# --- Query counts -------------------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_interview_page_queries_do_not_grow_with_the_number_of_questions(
    client_in, start_practice, candidate, django_assert_max_num_queries
):
    small = start_practice(candidate, count=2)
    large = start_practice(candidate, count=10)
    baseline = _queries(client_in, reverse("attempt_detail", args=[small.pk]))

    with django_assert_max_num_queries(baseline):
        client_in.get(reverse("attempt_detail", args=[large.pk]))


def test_results_page_queries_do_not_grow_with_the_number_of_questions(
    client_in, start_practice, candidate, django_assert_max_num_queries
):
    small = start_practice(candidate, count=2)
    large = start_practice(candidate, count=10)
    for attempt in (small, large):
        attempt_finish(attempt=attempt)
        for answer in attempt.answers.all():
            GradeFactory(answer=answer)
    baseline = _queries(client_in, reverse("attempt_results", args=[small.pk]))

    with django_assert_max_num_queries(baseline):
        client_in.get(reverse("attempt_results", args=[large.pk]))
    with django_assert_max_num_queries(baseline):
        client_in.get(reverse("attempt_results", args=[large.pk]), {"pending": "1,2,3"}, **HTMX)


def test_a_nul_character_in_an_answer_is_dropped_not_a_server_error(client_in, attempt):
    # PostgreSQL cannot store NUL in text; a pasted one must not cost the candidate the answer.
    response = client_in.post(save_url(attempt), {"text": "前\x00后"}, **HTMX)
    assert response.status_code == 200
    assert attempt.answers.get(position=1).text == "前后"

    response = client_in.post(submit_url(attempt, 2), {"text": "提交\x00"})
    assert response.status_code == 302
    assert attempt.answers.get(position=2).text == "提交"


def test_a_nul_character_in_a_catalogue_search_is_not_a_server_error(client_in, bank):
    assert client_in.get(reverse("catalogue"), {"q": "注意\x00力"}).status_code == 200


def test_every_grading_flag_reads_as_words_on_the_results_page():
    assert set(FLAGS) == {str(flag) for flag in Flag}


def test_the_end_time_has_a_date_when_it_is_not_today() -> None:
    now = timezone.localtime()
    assert end_time(now) == now.strftime("%H:%M")
    tomorrow = now + timedelta(days=1)
    assert end_time(tomorrow) == tomorrow.strftime("%m-%d %H:%M")
