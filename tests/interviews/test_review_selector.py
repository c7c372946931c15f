"""The review queue's selector: which current grades need a person."""

from __future__ import annotations

import pytest

from interviews.models import Grade
from interviews.selectors.review import grades_needing_review
from tests.interviews.factories import AnswerFactory, AttemptFactory, GradeFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_uncertain_provisional_and_injection_grades_need_review_and_sure_ones_do_not() -> None:
    uncertain = GradeFactory(uncertain=True)
    provisional = GradeFactory(provisional=True)
    injected = GradeFactory(flags=["injection_suspected"])
    GradeFactory()  # sure
    GradeFactory(flags=["off_topic"])  # another flag alone is no reason

    assert set(grades_needing_review()) == {uncertain, provisional, injected}


def test_only_current_grades_by_a_judge_need_review() -> None:
    old = GradeFactory(uncertain=True)
    old.is_current = False
    old.save(update_fields=["is_current"])
    GradeFactory(answer=old.answer, judge=Grade.Judge.HUMAN, provisional=True)

    assert list(grades_needing_review()) == []


def test_an_interviewers_queue_holds_the_answers_of_their_own_sessions(interviewer, other_candidate) -> None:
    mine = GradeFactory(
        uncertain=True,
        answer__attempt=AttemptFactory(candidate=other_candidate, session=SessionFactory(owner=interviewer)),
    )
    GradeFactory(uncertain=True, answer=AnswerFactory(status="graded"))  # someone else's session

    assert list(grades_needing_review(sessions_owned_by=interviewer)) == [mine]
    assert len(grades_needing_review()) == 2
