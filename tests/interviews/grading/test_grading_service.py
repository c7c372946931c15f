from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from kombu.exceptions import OperationalError as BrokerError

from accounts.models import User
from fakes.llm_server import FakeLLM
from interviews.grading.errors import JudgeUnavailable
from interviews.grading.offline import OfflineJudge
from interviews.grading.types import Flag
from interviews.models import Answer, Attempt, Grade
from interviews.selectors.review import grades_needing_review
from interviews.services.grading import (
    answer_claim,
    answer_grade,
    answer_regrade,
    answers_requeue_stale,
    grade_record,
    grading_enqueue,
    grading_retry_delay,
    question_regrade,
)
from interviews.signals import grade_became_current
from interviews.tasks import grade_answer
from questionbank.models import Question, rubric_fingerprint
from tests.interviews.grading.factories import judge_input_for, question_from_spec, submitted_attempt
from tests.interviews.grading.helpers import bank_question, half_answer

SPEC = bank_question("mqa-vs-gqa")
TEXT, _, _ = half_answer(SPEC)


@pytest.fixture
def offline(settings) -> None:
    settings.OPENAI_API_KEY = ""


@pytest.fixture
def question(db) -> Question:
    return question_from_spec(SPEC)


@pytest.fixture
def answer(candidate: User, question: Question) -> Answer:
    return submitted_attempt(candidate, [(question, TEXT)]).answers.get()


def test_without_an_api_key_the_offline_judge_grades_and_the_attempt_is_graded(
    offline, answer: Answer
) -> None:
    grade = answer_grade(answer_id=answer.pk)
    assert grade is not None and grade.is_current
    answer.refresh_from_db()
    assert answer.status == Answer.Status.GRADED and answer.grading_started_at is None
    assert answer.attempt.status == Attempt.Status.GRADED
    criteria = list(answer.question.rubric.all())
    misconceptions = list(answer.question.misconceptions.all())
    assert grade.judge == Grade.Judge.OFFLINE and not grade.provisional
    assert grade.rubric_hash == rubric_fingerprint(criteria, misconceptions)
    assert [c["criterion_id"] for c in grade.criteria] == [str(c.pk) for c in criteria]
    assert [c["description"] for c in grade.criteria] == [c.description for c in criteria]
    assert [c["points_possible"] for c in grade.criteria] == [c.points for c in criteria]
    assert [s["description"] for s in grade.rubric_snapshot] == [c.description for c in criteria]
    assert grade.score == sum(Decimal(str(c["points"])) for c in grade.criteria)
    assert grade.max_score == 10


def test_listeners_hear_of_a_new_current_grade_once_it_is_committed(
    offline, answer: Answer, django_capture_on_commit_callbacks
) -> None:
    heard: list[Grade] = []

    def listener(sender: type[Grade], grade: Grade, **kwargs: object) -> None:
        heard.append(grade)

    grade_became_current.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            grade = answer_grade(answer_id=answer.pk)
        assert heard == []
        for callback in callbacks:
            callback()
    finally:
        grade_became_current.disconnect(listener)
    assert heard == [grade]


def test_the_candidate_reads_each_rubric_point_of_a_real_grade_on_the_results_page(
    offline, client, candidate: User, answer: Answer
) -> None:
    grade = answer_grade(answer_id=answer.pk)
    assert grade is not None
    client.force_login(candidate)
    page = client.get(reverse("attempt_results", args=[answer.attempt_id])).content.decode()
    for criterion in answer.question.rubric.all():
        assert escape(criterion.description) in page
    stored = grade.criteria[0]
    points = f"{stored['points']:g} / {stored['points_possible']:g}"
    assert points in page


def test_the_attempt_is_graded_with_its_last_answer(offline, candidate: User, question: Question) -> None:
    attempt = submitted_attempt(
        candidate, [(question, TEXT), (question_from_spec(bank_question("what-is-llm")), "")]
    )
    first, second = attempt.answers.order_by("position")
    answer_grade(answer_id=first.pk)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    answer_grade(answer_id=second.pk)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    assert Flag.EMPTY in second.grades.get().flags


def test_an_answer_another_worker_holds_is_left_alone_until_its_claim_is_stale(
    offline, settings, answer: Answer
) -> None:
    now = timezone.now()
    assert answer_claim(answer_id=answer.pk, now=now)
    assert answer_grade(answer_id=answer.pk, now=now + timedelta(seconds=30)) is None
    later = now + timedelta(minutes=settings.GRADING_STALE_MINUTES, seconds=1)
    assert answer_grade(answer_id=answer.pk, now=later) is not None
    assert answer.grades.count() == 1


def test_a_worker_whose_stale_claim_was_taken_over_records_nothing(offline, settings, answer: Answer) -> None:
    now = timezone.now()
    assert answer_claim(answer_id=answer.pk, now=now)  # worker A, which then stalls
    answer_grade(
        answer_id=answer.pk, now=now + timedelta(minutes=settings.GRADING_STALE_MINUTES + 1)
    )  # worker B
    result = OfflineJudge().grade(judge_input_for(answer, TEXT))  # worker A wakes up
    assert grade_record(answer=answer, result=result, rubric=(), answer_hash="a", rubric_hash="r") is None
    assert answer.grades.count() == 1


def test_the_same_text_and_rubric_are_graded_once_however_often_the_task_runs(
    offline, answer: Answer
) -> None:
    grade = answer_grade(answer_id=answer.pk)
    assert answer_grade(answer_id=answer.pk) is None  # graded: nothing to claim
    Answer.objects.filter(pk=answer.pk).update(
        status=Answer.Status.SUBMITTED
    )  # a duplicate queued by the sweep
    assert answer_grade(answer_id=answer.pk) == grade
    answer.refresh_from_db()
    assert answer.status == Answer.Status.GRADED
    assert answer.grades.count() == 1


def test_a_changed_rubric_is_graded_again_and_the_earlier_grade_is_kept(offline, answer: Answer) -> None:
    old = answer_grade(answer_id=answer.pk)
    criterion = answer.question.rubric.first()
    criterion.description += "，并说明原因"
    criterion.save()
    Answer.objects.filter(pk=answer.pk).update(status=Answer.Status.SUBMITTED)
    new = answer_grade(answer_id=answer.pk)
    assert new is not None and new != old
    old.refresh_from_db()
    assert not old.is_current and new.is_current
    assert old.rubric_hash != new.rubric_hash


def test_regrading_an_answer_or_a_question_queues_a_forced_grade_and_keeps_the_old_ones(
    offline, answer: Answer, django_capture_on_commit_callbacks
) -> None:
    first = answer_grade(answer_id=answer.pk)
    with (
        mock.patch.object(grade_answer, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert answer_regrade(answer=answer)
    send.assert_called_once_with((answer.pk,), {"force": True}, retry=False)
    second = answer_grade(answer_id=answer.pk, force=True)
    with mock.patch.object(grade_answer, "apply_async"), django_capture_on_commit_callbacks(execute=True):
        assert question_regrade(question=answer.question) == 1
    assert not answer_regrade(answer=answer)  # already waiting for its grade
    third = answer_grade(answer_id=answer.pk, force=True)
    assert list(answer.grades.order_by("created_at")) == [first, second, third]
    assert [g.is_current for g in answer.grades.order_by("created_at")] == [False, False, True]


def test_with_an_api_key_the_llm_judge_grades_with_usage_and_cost(with_llm: FakeLLM, answer: Answer) -> None:
    grade = answer_grade(answer_id=answer.pk)
    assert grade.judge == Grade.Judge.LLM and grade.model == "gpt-4o-mini" and grade.prompt_version
    assert grade.tokens_in > 0 and grade.tokens_out > 0 and grade.cost_usd > 0 and not grade.provisional
    assert len(with_llm.requests) == 1


def test_an_llm_grade_the_offline_judge_disagrees_with_is_provisional_audited_and_queued(
    with_llm: FakeLLM, answer: Answer, settings
) -> None:
    settings.JUDGE_MAX_DISAGREEMENT = 0.3
    with_llm.fail_next("all_missed")  # the offline judge gives this answer half the marks
    grade = answer_grade(answer_id=answer.pk)
    assert grade.score == 0 and grade.uncertain and grade.provisional
    assert Flag.JUDGES_DISAGREE in grade.flags
    assert grade.audit["messages"] == with_llm.requests[0]["messages"]
    assert grade.audit["offline"]["fraction"] > 0.3
    assert grade.criteria[0]["reasoning"].startswith("Looking for:")
    assert list(grades_needing_review()) == [grade]


def test_a_passing_llm_failure_gives_the_claim_back_for_the_retry(with_llm: FakeLLM, answer: Answer) -> None:
    with_llm.fail_next("rate_limit")
    with pytest.raises(JudgeUnavailable):
        answer_grade(answer_id=answer.pk)
    answer.refresh_from_db()
    assert answer.status == Answer.Status.SUBMITTED
    assert answer.grading_started_at is not None  # keeps the sweep away while the task waits to retry
    assert answer_grade(answer_id=answer.pk) is not None


@pytest.mark.parametrize("fault", ["rate_limit", "server_error", "timeout"])
def test_after_the_last_retry_the_offline_judge_grades_provisionally(
    with_llm: FakeLLM, answer: Answer, fault: str
) -> None:
    with_llm.always = fault
    with_llm.hang_seconds = 1.5
    with mock.patch.object(grade_answer, "max_retries", 2):
        grade_answer.apply(args=[answer.pk])
    grade = answer.grades.get()
    assert grade.provisional and grade.judge == Grade.Judge.OFFLINE
    assert Flag.LLM_UNAVAILABLE in grade.flags
    assert len(with_llm.requests) == 3  # the first try and two retries
    answer.refresh_from_db()
    assert answer.status == Answer.Status.GRADED


@pytest.mark.parametrize(
    ("fault", "flag"), [("refusal", Flag.LLM_REFUSED), ("malformed", Flag.LLM_INVALID_OUTPUT)]
)
def test_an_unusable_llm_reply_is_graded_offline_at_once(
    with_llm: FakeLLM, answer: Answer, fault: str, flag
) -> None:
    with_llm.always = fault
    grade_answer.apply(args=[answer.pk])
    grade = answer.grades.get()
    assert grade.provisional and grade.judge == Grade.Judge.OFFLINE and flag in grade.flags
    assert len(with_llm.requests) == (1 if fault == "refusal" else 2)


def test_retries_back_off_exponentially_with_jitter_and_never_before_retry_after(settings) -> None:
    settings.GRADING_RETRY_BASE_SECONDS = 2.0
    for retries in range(5):
        delays = {grading_retry_delay(retries=retries) for _ in range(20)}
        assert all(2.0 * 2**retries / 2 <= d <= 2.0 * 2**retries for d in delays)
        assert len(delays) > 1
    assert grading_retry_delay(retries=0, retry_after=30) == 30
    assert grading_retry_delay(retries=20) <= 300


def test_the_sweep_queues_again_answers_left_ungraded_once_per_stale_period(
    offline, settings, candidate: User, question: Question, django_capture_on_commit_callbacks
) -> None:
    lost, fresh, abandoned, busy, graded = (
        submitted_attempt(candidate, [(question, f"回答 {i}")]).answers.get() for i in range(5)
    )
    now = timezone.now()
    long_ago = now - timedelta(minutes=settings.GRADING_STALE_MINUTES + 1)
    Answer.objects.filter(pk=lost.pk).update(submitted_at=long_ago)
    Answer.objects.filter(pk=abandoned.pk).update(
        submitted_at=long_ago, status=Answer.Status.GRADING, grading_started_at=long_ago
    )
    Answer.objects.filter(pk=busy.pk).update(
        submitted_at=long_ago, status=Answer.Status.GRADING, grading_started_at=now
    )
    Answer.objects.filter(pk=graded.pk).update(submitted_at=long_ago)
    answer_grade(answer_id=graded.pk)
    with (
        mock.patch.object(grade_answer, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert answers_requeue_stale(now=now) == 2
        assert answers_requeue_stale(now=now + timedelta(seconds=30)) == 0
    assert sorted(call.args[0][0] for call in send.call_args_list) == sorted([lost.pk, abandoned.pk])
    abandoned.refresh_from_db()
    assert abandoned.status == Answer.Status.SUBMITTED  # released, so the queued task can claim it
    assert answer_grade(answer_id=abandoned.pk) is not None
    fresh.refresh_from_db()
    assert (fresh.status, fresh.grading_started_at) == (Answer.Status.SUBMITTED, None), "a fresh answer waits"


@pytest.mark.parametrize(
    "error", [BrokerError("connection refused"), TimeoutError("timed out"), OSError(113)]
)
def test_a_broker_that_cannot_be_reached_loses_nothing_and_the_next_sweep_queues_again(
    answer: Answer, django_capture_on_commit_callbacks, error: Exception
) -> None:
    failing = mock.patch.object(grade_answer, "apply_async", side_effect=error)
    with failing as send, django_capture_on_commit_callbacks(execute=True):
        grading_enqueue(answer_ids=[answer.pk])
    send.assert_called_once_with((answer.pk,), {}, retry=False)  # one try, no retry loop in the request
    answer.refresh_from_db()
    assert answer.status == Answer.Status.SUBMITTED and answer.enqueue_failed_at is not None

    # Seconds later, not once the answer looks abandoned minutes later.
    with (
        mock.patch.object(grade_answer, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert answers_requeue_stale() == 1
    send.assert_called_once_with((answer.pk,), {}, retry=False)
    answer.refresh_from_db()
    assert answer.enqueue_failed_at is None


def test_an_empty_answer_is_graded_zero_without_calling_the_llm(
    with_llm: FakeLLM, candidate: User, question: Question
) -> None:
    empty = submitted_attempt(candidate, [(question, "  \n\n ")]).answers.get()

    grade = answer_grade(answer_id=empty.pk)

    assert grade is not None and grade.score == 0 and not grade.provisional
    assert grade.judge == Grade.Judge.OFFLINE and Flag.EMPTY in grade.flags
    assert with_llm.requests == []


def test_a_crashed_grading_fails_the_answer_but_an_outage_leaves_it_for_the_sweep(answer: Answer) -> None:
    answer_claim(answer_id=answer.pk, now=timezone.now())
    grade_answer.on_failure(DatabaseError("server closed the connection"), "task", (answer.pk,), {}, None)
    answer.refresh_from_db()
    assert answer.status == Answer.Status.GRADING
    grade_answer.on_failure(ValueError("a bug"), "task", (answer.pk,), {}, None)
    answer.refresh_from_db()
    assert answer.status == Answer.Status.FAILED
