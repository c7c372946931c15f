"""The review queue, a person's override (history kept, the candidate told), blind review, regrade, appeals,
agreement figures."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from hiring.selectors.review import review_queue
from hiring.views import review as review_views
from interviews.models import Answer, Appeal, Grade
from interviews.selectors.agreement import agreement_for_session
from interviews.signals import grade_became_current
from tests.accounts.factories import UserFactory
from tests.hiring.conftest import current_grade, login

pytestmark = pytest.mark.django_db


def override_data(**changes: str) -> dict[str, str]:
    """The judge's grade of GRADE_CRITERIA as the form starts: point 1 met 4/4, point 2 partial 2/6."""
    data = {
        "verdict_1": "met",
        "points_1": "4",
        "comment_1": "",
        "verdict_2": "partial",
        "points_2": "2",
        "comment_2": "",
        "comment": "",
    }
    return {**data, **changes}


def test_the_queue_holds_uncertain_provisional_injected_and_appealed_grades_of_my_sessions(
    session, interviewer, other_interviewer, take
):
    sure = take(UserFactory(username="sure"))
    unsure = take(UserFactory(username="unsure"), uncertain=True, provisional=True)
    injected = take(UserFactory(username="injected"), flags=["injection_suspected"])
    Appeal.objects.create(
        answer=sure.answers.get(position=2), criterion_id="2", reason="I explained the variance"
    )

    queue = review_queue(user=interviewer)

    reasons = {(e.answer.attempt.candidate.username, e.answer.position): e.reasons for e in queue}
    assert reasons == {
        ("unsure", 1): ["uncertain", "provisional"],
        ("unsure", 2): ["uncertain", "provisional"],
        ("injected", 1): ["injection"],
        ("injected", 2): ["injection"],
        ("sure", 2): ["appealed"],
    }
    assert review_queue(user=other_interviewer) == []
    assert unsure and injected


def test_the_queue_page_lists_names_or_in_blind_mode_aliases_in_a_stable_shuffled_order(
    client, session, interviewer, take
):
    for n in range(6):
        take(UserFactory(username=f"cand{n}"), uncertain=True)
    login(client, interviewer)

    named = client.get(reverse("hiring_queue")).content.decode()
    blind = client.get(reverse("hiring_queue"), {"blind": "1"}).content.decode()
    again = client.get(reverse("hiring_queue")).content.decode()  # the choice is remembered

    assert "cand0" in named
    assert not any(f"cand{n}" in blind for n in range(6)) and "Candidate " in blind
    assert "cand0" not in again
    order = [e.answer.pk for e in review_queue(user=interviewer, blind=True)]
    assert order == [e.answer.pk for e in review_queue(user=interviewer, blind=True)]
    assert order != sorted(order)


def test_a_long_queue_is_paged(client, session, interviewer, take, monkeypatch):
    monkeypatch.setattr(review_views, "ENTRIES_PER_PAGE", 3)
    for n in range(2):
        take(UserFactory(username=f"cand{n}"), uncertain=True)  # two answers each: four grades to review
    login(client, interviewer)

    first = client.get(reverse("hiring_queue")).content.decode()
    second = client.get(reverse("hiring_queue"), {"page": "2"}).content.decode()

    assert "4 grades to review" in first and first.count('class="queue-entry"') == 3
    assert 'start="1"' in first and "Page 1 of 2" in first and 'href="?page=2"' in first
    assert second.count('class="queue-entry"') == 1 and 'start="4"' in second


def test_an_override_becomes_current_keeps_the_judges_grade_and_announces_it(
    client, session, interviewer, take
):
    attempt = take(UserFactory(username="alice"), uncertain=True)
    answer = attempt.answers.get(position=1)
    judged = current_grade(attempt)
    login(client, interviewer)
    received = []
    grade_became_current.connect(
        lambda sender, grade, **kw: received.append(grade), weak=False, dispatch_uid="t"
    )
    try:
        with mock.patch("django.db.transaction.on_commit", side_effect=lambda f, *a, **k: f()):
            response = client.post(
                reverse("hiring_answer_review", args=[answer.pk]),
                override_data(verdict_2="met", points_2="6", comment_2="方差讲清楚了", comment="Good answer"),
            )
    finally:
        grade_became_current.disconnect(dispatch_uid="t")

    assert response.status_code == 302
    human = current_grade(attempt)
    judged.refresh_from_db()
    assert (human.judge, human.graded_by, human.comment, human.score) == (
        "human",
        interviewer,
        "Good answer",
        Decimal(10),
    )
    assert [c["verdict"] for c in human.criteria] == ["met", "met"] and human.criteria[1][
        "comment"
    ] == "方差讲清楚了"
    assert not judged.is_current and judged.score == Decimal(6)  # history
    assert received == [human]
    # It left the queue.
    assert answer.pk not in [e.answer.pk for e in review_queue(user=interviewer)]


def test_points_beyond_the_rubric_are_refused_and_nothing_changes(client, session, interviewer, take):
    attempt = take(UserFactory(username="alice"))
    answer = attempt.answers.get(position=1)
    response = login(client, interviewer).post(
        reverse("hiring_answer_review", args=[answer.pk]), override_data(points_2="7")
    )
    assert response.status_code == 422 and "less than or equal to 6" in response.content.decode()
    assert current_grade(attempt).judge == "offline"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"verdict_1": "missed", "points_1": "1"}, "A missed point earns 0 points."),
        ({"verdict_2": "met", "points_2": "5"}, "A met point earns its full 6 points."),
        ({"verdict_2": "partial", "points_2": "6"}, "more than 0 and less than 6 points"),
        ({"verdict_2": "partial", "points_2": "0"}, "more than 0 and less than 6 points"),
        ({"comment": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_a_verdict_and_points_that_disagree_are_refused(client, session, interviewer, take, changes, message):
    attempt = take(UserFactory(username="alice"))
    answer = attempt.answers.get(position=1)
    response = login(client, interviewer).post(
        reverse("hiring_answer_review", args=[answer.pk]), override_data(**changes)
    )
    assert response.status_code == 422 and message in response.content.decode()
    assert current_grade(attempt).judge == "offline"


def test_the_candidate_sees_the_new_grade_and_that_a_person_reviewed_it(client, session, interviewer, take):
    alice = UserFactory(username="alice")
    attempt = take(alice)
    answer = attempt.answers.get(position=1)
    login(client, interviewer).post(
        reverse("hiring_answer_review", args=[answer.pk]), override_data(points_2="5", comment="Well argued")
    )

    html = login(client, alice).get(reverse("attempt_results", args=[attempt.pk])).content.decode()

    assert "Reviewed by a person" in html and "Well argued" in html
    assert "Graded by a person" in html and ">9</strong>" in html


def test_an_appeal_of_one_point_goes_to_the_queue_and_its_outcome_comes_back(
    client, session, interviewer, take
):
    alice = UserFactory(username="alice")
    attempt = take(alice)
    url = reverse("answer_appeal", args=[attempt.pk, 1])
    login(client, alice)

    response = client.post(url, {"criterion": "2", "reason": "我解释了方差为什么要缩放"})
    again = client.post(url, {"criterion": "2", "reason": "once more"}, follow=True)
    empty = client.post(url, {"criterion": "1", "reason": "  "}, follow=True)
    unknown = client.post(url, {"criterion": "99", "reason": "x"}, follow=True)

    assert response.status_code == 302
    assert "already appealed this point" in again.content.decode()
    assert "Say briefly why" in empty.content.decode() and "no such point" in unknown.content.decode()
    appeal = Appeal.objects.get()
    assert (appeal.criterion_id, appeal.status) == ("2", "open")
    assert "Waiting for review" in client.get(reverse("attempt_results", args=[attempt.pk])).content.decode()

    entry = next(e for e in review_queue(user=interviewer) if e.appeals)
    assert entry.answer.pk == appeal.answer_id and entry.reasons == ["appealed"]
    login(client, interviewer).post(
        reverse("hiring_answer_review", args=[appeal.answer_id]),
        override_data(points_2="4", comment_2="方差部分补上了，给 4 分"),
    )
    appeal.refresh_from_db()
    assert (appeal.status, appeal.outcome_comment, appeal.resolved_by) == (
        "changed",
        "方差部分补上了，给 4 分",
        interviewer,
    )

    html = login(client, alice).get(reverse("attempt_results", args=[attempt.pk])).content.decode()
    assert "Grade changed" in html and "方差部分补上了，给 4 分" in html


def test_an_appeal_kept_says_so(client, session, interviewer, take):
    alice = UserFactory(username="alice")
    attempt = take(alice)
    login(client, alice).post(
        reverse("answer_appeal", args=[attempt.pk, 1]), {"criterion": "1", "reason": "why"}
    )
    answer = attempt.answers.get(position=1)
    login(client, interviewer).post(
        reverse("hiring_answer_review", args=[answer.pk]), override_data(comment="Correct as graded")
    )
    appeal = Appeal.objects.get()
    assert (appeal.status, appeal.outcome_comment) == ("kept", "Correct as graded")


def test_an_empty_answer_shows_numbered_points_no_appeal_and_feedback_in_the_viewers_words(client, take):
    alice = UserFactory(username="alice")
    attempt = take(alice, score="0", flags=["empty"], feedback="没有作答。")
    attempt.answers.update(text="")
    login(client, alice)

    html = client.get(reverse("attempt_results", args=[attempt.pk])).content.decode()
    refused = client.post(
        reverse("answer_appeal", args=[attempt.pk, 1]), {"criterion": "1", "reason": "x"}, follow=True
    )

    assert "Key point 1 (shown with the reference answer)" in html and "Key point 2" in html
    assert "Appeal this point" not in html and "No answer was given." in html and "没有作答" not in html
    assert "nothing to grade again" in refused.content.decode() and not Appeal.objects.exists()


def test_practice_answers_and_other_candidates_answers_cannot_be_appealed(client, session, take):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    attempt = take(alice)
    login(client, bob)
    assert (
        client.post(
            reverse("answer_appeal", args=[attempt.pk, 1]), {"criterion": "1", "reason": "x"}
        ).status_code
        == 404
    )
    session.kind = "practice"
    session.save()
    response = login(client, alice).post(
        reverse("answer_appeal", args=[attempt.pk, 1]), {"criterion": "1", "reason": "x"}, follow=True
    )
    assert "cannot be appealed" in response.content.decode() and not Appeal.objects.exists()


def test_the_regrade_button_reruns_the_judge(client, session, interviewer, take):
    attempt = take(UserFactory(username="alice"))
    answer = attempt.answers.get(position=1)
    with mock.patch("interviews.services.grading.grading_enqueue") as enqueue:
        response = login(client, interviewer).post(reverse("hiring_answer_regrade", args=[answer.pk]))
    assert response.status_code == 302
    enqueue.assert_called_once_with(answer_ids=[answer.pk], force=True)
    answer.refresh_from_db()
    assert answer.status == Answer.Status.SUBMITTED


def test_agreement_counts_changed_verdicts_and_score_differences(client, session, interviewer, take):
    first, second = take(UserFactory(username="a")), take(UserFactory(username="b"))
    login(client, interviewer)
    client.post(
        reverse("hiring_answer_review", args=[first.answers.get(position=1).pk]),
        override_data(verdict_2="met", points_2="6"),
    )  # one of two verdicts changed, +4
    client.post(
        reverse("hiring_answer_review", args=[second.answers.get(position=1).pk]), override_data()
    )  # confirmed as graded

    figures = agreement_for_session(session=session)

    overall = figures.overall
    assert (overall.reviewed, overall.points_compared, overall.verdicts_changed, overall.score_changed) == (
        2,
        4,
        1,
        1,
    )
    assert overall.verdict_agreement == 0.75 and overall.mean_abs_delta == Decimal(2)
    assert [(q.pk, f.reviewed) for q, f in figures.by_question] == [
        (first.answers.get(position=1).question_id, 2)
    ]
    html = client.get(reverse("hiring_results", args=[session.pk])).content.decode()
    assert "75%" in html
    assert Grade.objects.filter(judge="human").count() == 2
