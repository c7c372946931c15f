"""Reference answers and rubrics stay hidden from a candidate until that candidate has submitted an answer."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from catalogue.selectors import question_reference_visible
from interviews.models import Answer, ReviewTiming
from interviews.selectors.references import ReferenceAccess, reference_access
from tests.interviews.factories import AnswerFactory, AttemptFactory, GradeFactory
from tests.questionbank.factories import QuestionFactory

REFERENCE = "缩放是为了让 softmax 的输入方差保持在 1 附近"


@pytest.fixture
def question(db):
    return QuestionFactory(slug="scaling", prompt="为什么要除以 $\\sqrt{d_k}$？", reference_answer=REFERENCE)


def _page(client: Client, user, question) -> str:
    client.force_login(user)
    response = client.get(reverse("question_detail", args=[question.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_candidate_cannot_see_the_reference_before_answering(client: Client, candidate, question) -> None:
    page = _page(client, candidate, question)

    assert REFERENCE not in page
    assert "key point 0 of scaling" not in page
    assert 'class="card note locked"' in page
    assert not question_reference_visible(user=candidate, question=question)


def test_a_draft_answer_does_not_unlock_the_reference(client: Client, candidate, question) -> None:
    AnswerFactory(attempt__candidate=candidate, question=question, status=Answer.Status.DRAFT)

    assert REFERENCE not in _page(client, candidate, question)


@pytest.mark.parametrize("status", [s for s in Answer.Status.values if s != Answer.Status.DRAFT])
def test_a_submitted_answer_unlocks_reference_and_rubric(client: Client, candidate, question, status):
    AnswerFactory(attempt__candidate=candidate, attempt__finished=True, question=question, status=status)

    page = _page(client, candidate, question)

    assert REFERENCE in page
    assert "key point 0 of scaling" in page


def test_another_candidates_answer_unlocks_nothing(client: Client, candidate, other_candidate, question):
    AnswerFactory(attempt__candidate=other_candidate, question=question, status=Answer.Status.SUBMITTED)

    assert REFERENCE not in _page(client, candidate, question)


def test_interviewers_and_admins_see_reference_and_rubric(client: Client, interviewer, admin_user, question):
    for user in (interviewer, admin_user):
        page = _page(client, user, question)
        assert REFERENCE in page
        assert "key point 0 of scaling" in page


def test_the_prompt_is_rendered_as_markdown_with_math_left_for_katex(
    client: Client, candidate, question
) -> None:
    page = _page(client, candidate, question)

    assert '<span class="math inline">\\sqrt{d_k}</span>' in page


# --- After an honest try (issue 14) ------------------------------------------------------------------


def test_an_empty_submission_unlocks_nothing_and_the_page_says_why(client: Client, candidate, question):
    AnswerFactory(
        attempt__candidate=candidate,
        attempt__finished=True,
        question=question,
        status=Answer.Status.SUBMITTED,
        text=" \n ",
    )

    page = _page(client, candidate, question)

    assert REFERENCE not in page and "key point 0 of scaling" not in page
    assert "were empty" in page or "回答是空的" in page


def test_a_question_in_an_open_attempt_stays_hidden_though_answered_before(
    client: Client, candidate, question
) -> None:
    AnswerFactory(
        attempt__candidate=candidate, attempt__finished=True, question=question, status=Answer.Status.GRADED
    )
    assert REFERENCE in _page(client, candidate, question)

    AnswerFactory(attempt__candidate=candidate, question=question)  # a new attempt asks it again

    page = _page(client, candidate, question)
    assert REFERENCE not in page and "key point 0 of scaling" not in page


def test_a_session_that_never_shows_references_unlocks_nothing(client: Client, candidate, question):
    AnswerFactory(
        attempt__candidate=candidate,
        attempt__finished=True,
        attempt__session__review_reference=ReviewTiming.NEVER,
        question=question,
        status=Answer.Status.GRADED,
    )

    assert REFERENCE not in _page(client, candidate, question)
    assert reference_access(candidate=candidate, question_id=question.pk) == ReferenceAccess.SESSION_FORBIDS


def test_the_results_page_shows_references_and_rubric_points_only_for_honest_tries(
    client: Client, candidate, question
) -> None:
    attempt = AttemptFactory(candidate=candidate, finished=True)
    blank_q = QuestionFactory(slug="blank", reference_answer="THE BLANK REFERENCE")
    AnswerFactory(attempt=attempt, question=question, status=Answer.Status.GRADED, text="方差")
    blank = AnswerFactory(attempt=attempt, question=blank_q, status=Answer.Status.GRADED, text="")
    for answer in attempt.answers.all():
        GradeFactory(answer=answer)
    client.force_login(candidate)

    page = client.get(reverse("attempt_results", args=[attempt.pk])).content.decode()

    assert REFERENCE in page
    assert "THE BLANK REFERENCE" not in page
    assert page.count("指出 Q、K 使用不同投影的作用") == 1  # the honest answer's rubric point only
    assert blank.text == ""

    AnswerFactory(attempt__candidate=candidate, question=question)  # asked again in an open attempt
    page = client.get(reverse("attempt_results", args=[attempt.pk])).content.decode()
    assert REFERENCE not in page
    # The feedback names the rubric's points: it is locked with them, its count of points met is not.
    assert "缺少对方差的讨论" not in page
    assert "完整答到 1/2 个要点，部分答到 1 个。" in page  # in Chinese, the site's default
