"""The LLM server down for a while (shortened to failing every call): answers submitted meanwhile get
provisional offline grades after their retries; once it is back, the sweep's regrade makes LLM grades
current. Every answer is graded exactly once per grading run and no grade is lost."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from fakes.llm_server import FakeLLM
from interviews.grading.types import Flag
from interviews.models import Answer, Grade
from interviews.services.grading import answers_regrade_after_llm_outage
from interviews.tasks import grade_answer
from tests.accounts.factories import UserFactory
from tests.interviews.grading.factories import question_from_spec, submitted_attempt
from tests.interviews.grading.helpers import bank_question, half_answer

pytestmark = pytest.mark.django_db
SPEC = bank_question("mqa-vs-gqa")
TEXT, _, _ = half_answer(SPEC)
RETRIES = 2


def _grade_queued(send: mock.MagicMock) -> None:
    """Run each task the service queued, as a worker would (eagerly: retries come at once)."""
    for call in send.call_args_list:
        grade_answer.apply(args=call.args[0], kwargs=call.args[1])


def test_answers_graded_while_the_llm_is_down_are_provisional_then_a_regrade_makes_llm_grades_current(
    with_llm: FakeLLM, django_capture_on_commit_callbacks
) -> None:
    question = question_from_spec(SPEC)
    answers = [
        submitted_attempt(user, [(question, TEXT)]).answers.get() for user in UserFactory.create_batch(3)
    ]

    with_llm.always = "server_error"
    with mock.patch.object(grade_answer, "max_retries", RETRIES):
        for answer in answers:
            grade_answer.apply(args=[answer.pk])

    assert len(with_llm.requests) == len(answers) * (1 + RETRIES)
    for answer in answers:
        (grade,) = answer.grades.all()
        assert grade.is_current and grade.provisional and grade.judge == Grade.Judge.OFFLINE
        assert Flag.LLM_UNAVAILABLE in grade.flags
        answer.refresh_from_db()
        assert answer.status == Answer.Status.GRADED

    with_llm.always = None
    with_llm.requests.clear()
    provisional = Answer.objects.filter(grades__is_current=True, grades__provisional=True)
    # The sweep gives them back to the LLM once their stand-in grades are LLM_RECHECK_MINUTES old.
    soon = timezone.now() + timedelta(minutes=settings.LLM_RECHECK_MINUTES - 1)
    later = timezone.now() + timedelta(minutes=settings.LLM_RECHECK_MINUTES + 1)
    assert answers_regrade_after_llm_outage(now=soon) == 0
    with (
        mock.patch.object(grade_answer, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert answers_regrade_after_llm_outage(now=later) == len(answers)
    _grade_queued(send)

    assert len(with_llm.requests) == len(answers)  # one LLM call per answer: graded once in this run
    for answer in answers:
        offline, llm = answer.grades.order_by("created_at")
        assert (offline.judge, offline.is_current) == (Grade.Judge.OFFLINE, False)
        assert (llm.judge, llm.is_current, llm.provisional) == (Grade.Judge.LLM, True, False)
        answer.refresh_from_db()
        assert answer.status == Answer.Status.GRADED
    assert not provisional.exists()


def test_an_answer_submitted_as_the_llm_comes_back_is_graded_by_it_once(
    with_llm: FakeLLM, candidate: User
) -> None:
    answer = submitted_attempt(candidate, [(question_from_spec(SPEC), TEXT)]).answers.get()
    with_llm.fail_next(*["server_error"] * RETRIES)  # down for the first tries, up for the last

    with mock.patch.object(grade_answer, "max_retries", RETRIES):
        grade_answer.apply(args=[answer.pk])

    (grade,) = answer.grades.all()
    assert (grade.judge, grade.is_current, grade.provisional) == (Grade.Judge.LLM, True, False)
    assert len(with_llm.requests) == 1 + RETRIES
