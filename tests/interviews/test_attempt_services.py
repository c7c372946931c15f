"""The attempt services on real PostgreSQL, with the clock under test control (time-machine)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from interviews.models import Answer, Attempt, Session
from interviews.selectors.attempts import answer_next_draft_position
from interviews.services import attempts as services
from interviews.services import practice
from interviews.services.practice import PRACTICE_MAX_QUESTIONS, attempt_start_practice
from interviews.tasks import sweep
from questionbank.models import Question
from tests.interviews.deadlines import after_grace
from tests.questionbank.factories import QuestionFactory, TopicFactory


def test_practice_snapshots_the_chosen_published_questions_with_a_server_deadline(
    start_practice, candidate, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    attempt = start_practice(candidate, count=4, minutes=25, topic_slugs=["inference"])

    answers = list(attempt.answers.order_by("position"))
    assert [a.position for a in answers] == [1, 2, 3, 4]
    assert all(a.status == Answer.Status.DRAFT and a.text == "" for a in answers)
    assert all(a.question.status == Question.Status.PUBLISHED for a in answers)
    assert all(a.question.topics.filter(slug="inference").exists() for a in answers)
    items = list(attempt.session.items.order_by("order"))
    assert [i.question_id for i in items] == [a.question_id for a in answers]
    assert attempt.session.kind == Session.Kind.PRACTICE and attempt.session.owner == candidate
    assert attempt.deadline - attempt.started_at == timedelta(minutes=25)
    assert attempt.started_at == timezone.now()


def test_suggested_time_limit_is_the_sum_of_the_questions_suggested_times(start_practice, candidate):
    attempt = start_practice(candidate, count=3, minutes=None, time_mode=practice.TIME_MODE_SUGGESTED)

    expected = sum(a.question.suggested_seconds for a in attempt.answers.all())
    assert attempt.session.time_limit_seconds == expected
    assert (attempt.deadline - attempt.started_at).total_seconds() == expected


@pytest.fixture
def hard_rag_questions(db) -> list[Question]:
    """Two published hard questions on one topic, beside questions the choice must not count."""
    rag = TopicFactory(slug="rag")
    other = TopicFactory(slug="other")
    QuestionFactory(topics=[rag], difficulty="hard", status=Question.Status.RETIRED)
    QuestionFactory(topics=[rag], difficulty="easy")
    QuestionFactory(topics=[other], difficulty="hard")
    return [QuestionFactory(topics=[rag], difficulty="hard") for _ in range(2)]


def _start_hard_rag(candidate, count: int) -> Attempt:
    return attempt_start_practice(
        candidate=candidate,
        topic_slugs=["rag"],
        difficulty="hard",
        count=count,
        time_mode=practice.TIME_MODE_TOTAL,
        minutes=30,
    )


def test_a_choice_matching_too_few_questions_says_how_many_match(candidate, hard_rag_questions):
    with pytest.raises(ValidationError) as exc:
        _start_hard_rag(candidate, count=3)

    assert exc.value.code == "too_few"
    assert exc.value.messages[0].startswith("Only 2 published questions match this choice")
    assert not Attempt.objects.exists() and not Session.objects.exists()


def test_a_choice_matching_one_question_says_so_in_the_singular(candidate, hard_rag_questions):
    Question.objects.filter(pk=hard_rag_questions[0].pk).update(status=Question.Status.DRAFT)

    with pytest.raises(ValidationError) as exc:
        _start_hard_rag(candidate, count=PRACTICE_MAX_QUESTIONS)

    assert exc.value.code == "too_few"
    assert exc.value.messages[0].startswith("Only 1 published question matches this choice")


def test_a_choice_matching_exactly_enough_questions_starts_with_all_of_them(candidate, hard_rag_questions):
    attempt = _start_hard_rag(candidate, count=2)

    assert {a.question_id for a in attempt.answers.all()} == {q.pk for q in hard_rag_questions}


def test_a_choice_matching_no_question_is_not_called_too_few(candidate, hard_rag_questions):
    Question.objects.filter(pk__in=[q.pk for q in hard_rag_questions]).update(status=Question.Status.RETIRED)

    with pytest.raises(ValidationError) as exc:
        _start_hard_rag(candidate, count=1)

    assert exc.value.code == "no_match"
    assert "No published question matches" in exc.value.messages[0]
    assert not Attempt.objects.exists() and not Session.objects.exists()


def test_a_choice_matching_nothing_is_refused_with_a_message(start_practice, candidate):
    Question.objects.filter(difficulty="easy").update(status=Question.Status.RETIRED)

    with pytest.raises(ValidationError, match="No published question matches"):
        start_practice(candidate, count=1, difficulty="easy")


@pytest.mark.parametrize(
    ("choice", "code"),
    [
        ({"count": 0}, "count"),
        ({"count": 21}, "count"),
        ({"minutes": 0}, "minutes"),
        ({"minutes": None}, "minutes"),
        ({"time_mode": "whenever"}, "time_mode"),
        ({"difficulty": "brutal"}, "difficulty"),
        ({"topic_slugs": ["no-such-topic"]}, "topic"),
    ],
)
def test_bad_set_up_input_is_a_validation_error(start_practice, candidate, choice, code):
    with pytest.raises(ValidationError) as exc:
        start_practice(candidate, **choice)
    assert exc.value.code == code


def test_saving_a_draft_records_text_and_time(attempt, time_machine):
    answer = attempt.answers.get(position=1)
    moment = attempt.started_at + timedelta(minutes=2)
    time_machine.move_to(moment, tick=False)

    services.answer_save_draft(answer=answer, text="第一版", seconds_spent=90)

    answer.refresh_from_db()
    assert (answer.text, answer.saved_at, answer.seconds_spent) == ("第一版", moment, 90)


def test_a_save_from_a_page_that_missed_a_later_save_replaces_nothing(attempt, time_machine):
    """Two tabs on one question: the second tab's page was opened before the first tab saved."""
    answer = attempt.answers.get(position=1)
    time_machine.move_to(attempt.started_at + timedelta(seconds=30, microseconds=123_456), tick=False)
    services.answer_save_draft(answer=answer, text="第一个标签页的长回答", saved_version=0)
    answer.refresh_from_db()
    first_version = int(answer.saved_at.timestamp() * 1000)

    with pytest.raises(ValidationError) as refused:
        services.answer_save_draft(answer=answer, text="第二个标签页", saved_version=0)

    assert refused.value.code == services.CHANGED_ELSEWHERE
    answer.refresh_from_db()
    assert answer.text == "第一个标签页的长回答"
    # The same text again is no conflict (a page's beacon can overtake the page reopened after it).
    services.answer_save_draft(answer=answer, text="第一个标签页的长回答", saved_version=0)
    # The page that knows the last save goes on saving; a caller that knows of none is not checked.
    services.answer_save_draft(answer=answer, text="接着写", saved_version=first_version)
    services.answer_save_draft(answer=answer, text="不检查", saved_version=None)
    answer.refresh_from_db()
    assert answer.text == "不检查"


def test_time_spent_never_exceeds_the_attempt_and_never_goes_back(attempt, time_machine):
    answer = attempt.answers.get(position=1)
    time_machine.move_to(attempt.started_at + timedelta(seconds=60), tick=False)

    services.answer_save_draft(answer=answer, text="a", seconds_spent=10_000)
    answer.refresh_from_db()
    assert answer.seconds_spent == 60
    services.answer_save_draft(answer=answer, text="b", seconds_spent=5)
    answer.refresh_from_db()
    assert answer.seconds_spent == 60


def test_save_within_the_grace_after_the_deadline_is_accepted(attempt, settings, time_machine):
    answer = attempt.answers.get(position=1)
    time_machine.move_to(attempt.deadline + timedelta(seconds=settings.DEADLINE_GRACE_SECONDS), tick=False)

    services.answer_save_draft(answer=answer, text="最后一秒写完")

    answer.refresh_from_db()
    assert answer.text == "最后一秒写完"


def test_late_save_is_refused_and_the_last_draft_is_submitted(attempt, time_machine):
    answer = attempt.answers.get(position=1)
    time_machine.move_to(attempt.deadline - timedelta(seconds=30), tick=False)
    services.answer_save_draft(answer=answer, text="按时保存的草稿")

    time_machine.move_to(after_grace(attempt), tick=False)
    with pytest.raises(ValidationError) as exc:
        services.answer_save_draft(answer=answer, text="超时后的修改")
    assert exc.value.code == services.LATE
    assert "Time is up" in exc.value.messages[0]
    assert "will be submitted" in exc.value.messages[0]

    answer.refresh_from_db()
    assert (answer.status, answer.text) == (Answer.Status.SUBMITTED, "按时保存的草稿")


def test_a_late_save_finishes_the_attempt_without_waiting_for_the_sweep(
    attempt, time_machine, django_capture_on_commit_callbacks
):
    answer = attempt.answers.get(position=2)
    late = after_grace(attempt)
    time_machine.move_to(late, tick=False)

    with django_capture_on_commit_callbacks() as queued, pytest.raises(ValidationError) as exc:
        services.answer_save_draft(answer=answer, text="超时后的修改")

    assert exc.value.code == services.LATE
    assert "had no saved draft" in exc.value.messages[0]
    attempt.refresh_from_db()
    assert (attempt.status, attempt.finished_at) == (Attempt.Status.SUBMITTED, late)
    assert set(attempt.answers.values_list("status", "text")) == {(Answer.Status.SUBMITTED, "")}
    assert len(queued) == 1, "the drafts are queued for grading once"
    assert services.attempts_finish_overdue() == 0, "nothing is left for the sweep"


def test_late_submit_with_new_text_is_refused_and_submits_the_saved_draft(attempt, time_machine):
    answer = attempt.answers.get(position=1)
    time_machine.move_to(after_grace(attempt), tick=False)

    with pytest.raises(ValidationError) as exc:
        services.answer_submit(answer=answer, text="太晚了")

    assert exc.value.code == services.LATE
    answer.refresh_from_db()
    assert (answer.status, answer.text) == (Answer.Status.SUBMITTED, "")


# --- Finishing when the time is up, and from the answer form ---------------------------------------------


def test_an_attempt_within_its_grace_is_not_finished_when_opened(attempt, settings, time_machine):
    time_machine.move_to(attempt.deadline + timedelta(seconds=settings.DEADLINE_GRACE_SECONDS), tick=False)

    assert services.attempt_finish_if_overdue(attempt=attempt) is False

    attempt.refresh_from_db()
    assert attempt.is_open


def test_an_overdue_attempt_is_finished_once_when_opened(attempt, time_machine):
    services.answer_save_draft(answer=attempt.answers.get(position=1), text="截止前的草稿")
    late = after_grace(attempt)
    time_machine.move_to(late, tick=False)

    assert services.attempt_finish_if_overdue(attempt=attempt) is True
    assert not attempt.is_open
    assert services.attempt_finish_if_overdue(attempt=Attempt.objects.get(pk=attempt.pk)) is False

    attempt.refresh_from_db()
    assert (attempt.status, attempt.finished_at) == (Attempt.Status.SUBMITTED, late)
    assert dict(attempt.answers.values_list("position", "text")) == {1: "截止前的草稿", 2: "", 3: ""}
    assert not attempt.answers.filter(status=Answer.Status.DRAFT).exists()


def test_finishing_from_the_answer_form_saves_the_open_text_first(attempt):
    answer = attempt.answers.get(position=2)

    outcome = services.attempt_finish_with_text(attempt=attempt, answer=answer, text="第二题最后的文字")

    assert outcome == services.FinishOutcome(finished=True, warning="")
    answer.refresh_from_db()
    assert (answer.status, answer.text) == (Answer.Status.SUBMITTED, "第二题最后的文字")
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED


def test_finishing_with_a_text_too_long_while_time_is_left_refuses_and_finishes_nothing(attempt, settings):
    answer = attempt.answers.get(position=1)
    services.answer_save_draft(answer=answer, text="短的草稿")

    with pytest.raises(ValidationError) as exc:
        services.attempt_finish_with_text(
            attempt=attempt, answer=answer, text="长" * (settings.ANSWER_MAX_CHARS + 1)
        )

    assert exc.value.code == services.TOO_LONG
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.finished_at is None
    assert set(attempt.answers.values_list("status", flat=True)) == {Answer.Status.DRAFT}
    assert attempt.answers.get(position=1).text == "短的草稿"


def test_finishing_with_a_text_too_long_at_the_deadline_warns_and_submits_the_saved_draft(
    attempt, settings, time_machine
):
    answer = attempt.answers.get(position=1)
    services.answer_save_draft(answer=answer, text="短的草稿")
    time_machine.move_to(attempt.deadline + timedelta(seconds=1), tick=False)  # no time left, within grace

    outcome = services.attempt_finish_with_text(
        attempt=attempt, answer=answer, text="长" * (settings.ANSWER_MAX_CHARS + 1)
    )

    assert outcome.finished and f"the limit is {settings.ANSWER_MAX_CHARS}" in outcome.warning
    answer.refresh_from_db()
    assert (answer.status, answer.text) == (Answer.Status.SUBMITTED, "短的草稿")


def test_finishing_late_only_warns_and_submits_the_saved_draft(attempt, time_machine):
    answer = attempt.answers.get(position=1)
    services.answer_save_draft(answer=answer, text="截止前的草稿")
    time_machine.move_to(after_grace(attempt), tick=False)

    outcome = services.attempt_finish_with_text(attempt=attempt, answer=answer, text="截止后的修改")

    assert "Time is up" in outcome.warning
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    answer.refresh_from_db()
    assert (answer.status, answer.text) == (Answer.Status.SUBMITTED, "截止前的草稿")


def test_finishing_with_the_text_of_a_submitted_answer_finishes_without_a_warning(attempt):
    answer = attempt.answers.get(position=1)
    services.answer_submit(answer=answer, text="已提交的回答")

    outcome = services.attempt_finish_with_text(attempt=attempt, answer=answer, text="提交后又改的文字")

    assert outcome == services.FinishOutcome(finished=True, warning="")
    answer.refresh_from_db()
    assert answer.text == "已提交的回答"


def test_the_next_question_to_write_is_the_first_draft_by_position(attempt):
    first, second, third = attempt.answers.order_by("position")
    assert answer_next_draft_position(attempt=attempt) == 1

    services.answer_submit(answer=second, text="先答第二题")
    assert answer_next_draft_position(attempt=attempt) == 1

    services.answer_submit(answer=first, text="再答第一题")
    assert answer_next_draft_position(attempt=attempt) == 3

    services.answer_submit(answer=third, text="最后一题")
    assert answer_next_draft_position(attempt=attempt) is None


def test_over_long_answer_is_refused_and_the_stored_draft_is_unchanged(attempt, settings):
    answer = attempt.answers.get(position=1)
    services.answer_save_draft(answer=answer, text="短的草稿")

    with pytest.raises(ValidationError) as exc:
        services.answer_save_draft(answer=answer, text="长" * (settings.ANSWER_MAX_CHARS + 1))

    assert exc.value.code == services.TOO_LONG
    assert str(settings.ANSWER_MAX_CHARS) in exc.value.messages[0]
    answer.refresh_from_db()
    assert answer.text == "短的草稿"


def test_an_answer_exactly_at_the_limit_is_saved(attempt, settings):
    answer = attempt.answers.get(position=1)

    services.answer_save_draft(answer=answer, text="x" * settings.ANSWER_MAX_CHARS)

    answer.refresh_from_db()
    assert len(answer.text) == settings.ANSWER_MAX_CHARS


def test_double_submit_gives_one_submission(attempt, django_capture_on_commit_callbacks, time_machine):
    answer = attempt.answers.get(position=1)
    first_click = attempt.started_at + timedelta(minutes=3)
    time_machine.move_to(first_click, tick=False)

    with django_capture_on_commit_callbacks() as callbacks:
        assert services.answer_submit(answer=answer, text="我的回答") is True
        time_machine.move_to(first_click + timedelta(milliseconds=300), tick=False)
        again = Answer.objects.select_related("attempt").get(pk=answer.pk)
        assert services.answer_submit(answer=again, text="我的回答") is False
        stale = Answer.objects.select_related("attempt").get(pk=answer.pk)
        stale.status = Answer.Status.DRAFT  # a request that read the row before the first submit committed
        assert services.answer_submit(answer=stale) is False

    assert len(callbacks) == 1  # one grading enqueued
    answer.refresh_from_db()
    assert (answer.status, answer.text) == (Answer.Status.SUBMITTED, "我的回答")
    assert answer.submitted_at == first_click


def test_a_save_after_submit_never_overwrites_the_submitted_answer(attempt):
    answer = attempt.answers.get(position=1)
    stale = Answer.objects.select_related("attempt").get(pk=answer.pk)
    services.answer_submit(answer=answer, text="提交的版本")

    with pytest.raises(ValidationError) as exc:
        services.answer_save_draft(answer=stale, text="迟到的自动保存")

    assert exc.value.code == services.LOCKED
    answer.refresh_from_db()
    assert answer.text == "提交的版本"


def test_submitting_the_last_open_answer_finishes_the_attempt(attempt):
    answers = list(attempt.answers.order_by("position"))
    for answer in answers[:-1]:
        services.answer_submit(answer=answer, text="好")
    attempt.refresh_from_db()
    assert attempt.is_open

    services.answer_submit(answer=answers[-1], text="最后一题")

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.finished_at is not None


def test_finish_submits_every_draft_as_saved_and_is_idempotent(attempt, django_capture_on_commit_callbacks):
    first, second, third = attempt.answers.order_by("position")
    services.answer_save_draft(answer=first, text="草稿一")
    services.answer_submit(answer=second, text="已提交")

    with django_capture_on_commit_callbacks() as callbacks:
        assert services.attempt_finish(attempt=attempt) is True
        assert services.attempt_finish(attempt=Attempt.objects.get(pk=attempt.pk)) is False

    assert len(callbacks) == 1  # one enqueue, for the two drafts
    texts = dict(attempt.answers.values_list("position", "text"))
    assert texts == {1: "草稿一", 2: "已提交", 3: ""}
    assert set(attempt.answers.values_list("status", flat=True)) == {Answer.Status.SUBMITTED}
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.finished_at is not None


def test_sweep_finishes_abandoned_attempts_and_leaves_running_ones(
    start_practice, candidate, other_candidate, time_machine
):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    abandoned = start_practice(candidate, count=2, minutes=10)
    running = start_practice(other_candidate, count=2, minutes=60)
    services.answer_save_draft(answer=abandoned.answers.get(position=1), text="关掉标签页之前写的")

    time_machine.move_to(after_grace(abandoned, seconds=-1), tick=False)
    assert services.attempts_finish_overdue() == 0  # still within grace

    time_machine.move_to(abandoned.deadline + timedelta(minutes=1), tick=False)
    sweep()

    abandoned.refresh_from_db()
    running.refresh_from_db()
    assert abandoned.status == Attempt.Status.SUBMITTED
    assert running.status == Attempt.Status.IN_PROGRESS
    assert abandoned.answers.get(position=1).text == "关掉标签页之前写的"
    assert not abandoned.answers.filter(status=Answer.Status.DRAFT).exists()
    assert services.attempts_finish_overdue() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_of_one_answer_give_one_submission(start_practice, candidate):
    attempt = start_practice(candidate, count=2)
    answer_id = attempt.answers.get(position=1).pk
    barrier = threading.Barrier(2)
    outcomes: list[bool] = []

    def submit() -> None:
        try:
            mine = Answer.objects.select_related("attempt").get(pk=answer_id)
            barrier.wait()
            outcomes.append(services.answer_submit(answer=mine, text="并发提交"))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [False, True]
    answer = Answer.objects.get(pk=answer_id)
    assert answer.status == Answer.Status.SUBMITTED and answer.text == "并发提交"
