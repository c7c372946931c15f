"""Every interviewer page: the owner and admins get in; another interviewer, a candidate, or a visitor get a
404 (or the log-in page), never another's data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.hiring.conftest import login
from tests.questionbank.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(session, take):
    """(method, url) of every page about one session, its attempt and answer."""
    attempt = take(UserFactory(username="alice"))
    answer = attempt.answers.first()
    item = session.items.first()
    s = session.pk
    return [
        ("get", reverse("hiring_builder", args=[s])),
        ("get", reverse("hiring_search", args=[s])),
        ("post", reverse("hiring_item_add", args=[s])),
        ("post", reverse("hiring_item_random", args=[s])),
        ("post", reverse("hiring_item_remove", args=[s, item.pk])),
        ("post", reverse("hiring_item_move", args=[s, item.pk])),
        ("post", reverse("hiring_item_time", args=[s, item.pk])),
        ("post", reverse("hiring_settings", args=[s])),
        ("post", reverse("hiring_duplicate", args=[s])),
        ("post", reverse("hiring_invite_regenerate", args=[s])),
        ("get", reverse("hiring_question_new", args=[s])),
        ("get", reverse("hiring_results", args=[s])),
        ("get", reverse("hiring_results_csv", args=[s])),
        ("get", reverse("hiring_report", args=[attempt.pk])),
        ("get", reverse("hiring_answer_review", args=[answer.pk])),
        ("post", reverse("hiring_answer_review", args=[answer.pk])),
        ("post", reverse("hiring_answer_regrade", args=[answer.pk])),
    ]


def test_another_interviewer_gets_404_everywhere_and_changes_nothing(
    client, session, other_interviewer, pages
):
    token, items = session.invite_token, list(session.items.values_list("pk", "order"))
    login(client, other_interviewer)
    for method, url in pages:
        assert getattr(client, method)(url).status_code == 404, url
    session.refresh_from_db()
    assert session.invite_token == token and list(session.items.values_list("pk", "order")) == items


def test_a_candidate_gets_404_everywhere_including_the_lists(client, session, candidate, pages):
    login(client, candidate)
    for method, url in [
        *pages,
        ("get", reverse("hiring_sessions")),
        ("get", reverse("hiring_queue")),
        ("post", reverse("hiring_session_new")),
    ]:
        assert getattr(client, method)(url).status_code == 404, url


def test_a_visitor_is_sent_to_log_in(client, pages):
    for method, url in pages:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_the_owner_and_an_admin_get_in(client, session, interviewer, admin_user, pages):
    for user in (interviewer, admin_user):
        login(client, user)
        for method, url in pages:
            if method == "get":
                assert client.get(url).status_code in (200, 302 if "search" in url else 200), (user, url)
    assert "Backend hire" in client.get(reverse("hiring_sessions")).content.decode()


def test_the_session_list_and_queue_show_only_my_sessions(client, session, other_interviewer, take):
    take(UserFactory(username="alice"), uncertain=True)
    login(client, other_interviewer)
    assert "Backend hire" not in client.get(reverse("hiring_sessions")).content.decode()
    assert "alice" not in client.get(reverse("hiring_queue")).content.decode()


def test_a_candidate_never_sees_another_candidates_attempt(client, session, take):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    attempt = take(alice)
    login(client, bob)
    assert client.get(reverse("attempt_results", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("attempt_detail", args=[attempt.pk])).status_code == 404


def test_the_interviewer_does_not_see_the_candidates_pages_either(client, session, interviewer, take):
    attempt = take(UserFactory(username="alice"))
    login(client, interviewer)
    assert client.get(reverse("attempt_results", args=[attempt.pk])).status_code == 404


def test_another_interviewers_private_question_can_be_neither_added_nor_opened(
    client, session, interviewer, other_interviewer
):
    private = QuestionFactory(prompt="private one", status="draft", owner=other_interviewer)
    login(client, interviewer)
    assert (
        client.post(reverse("hiring_item_add", args=[session.pk]), {"question": private.pk}).status_code
        == 404
    )
    assert client.get(reverse("question_detail", args=[private.slug])).status_code == 404
    assert "private one" not in client.get(reverse("catalogue")).content.decode()
