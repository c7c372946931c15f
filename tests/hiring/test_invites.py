"""Invite links: the start page, every refusal in plain words, regenerating, random items per candidate."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from interviews.models import Attempt, Session, SessionItem
from tests.accounts.factories import UserFactory
from tests.hiring.conftest import login
from tests.questionbank.factories import QuestionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def invite_url(session: Session) -> str:
    return reverse("invite", args=[session.invite_token])


def start(client, session: Session):
    return client.post(reverse("invite_start", args=[session.invite_token]))


def test_an_anonymous_visitor_sees_the_session_and_is_asked_to_log_in_or_sign_up(client, session):
    html = client.get(invite_url(session)).content.decode()
    assert "Backend hire" in html and "20:00" in html
    assert f"/accounts/login/?next={invite_url(session)}" in html.replace("%2F", "/")
    assert "/accounts/signup/?next=" in html
    assert start(client, session)["Location"].startswith("/accounts/login/")


def test_a_candidate_starts_the_interview_from_the_link_and_lands_on_the_timed_page(
    client, session, candidate
):
    login(client, candidate)
    page = client.get(invite_url(session)).content.decode()
    assert "Start the interview" in page and "<dd>2</dd>" in page  # two questions

    response = start(client, session)

    attempt = Attempt.objects.get(candidate=candidate, session=session)
    assert response["Location"] == reverse("attempt_detail", args=[attempt.pk])
    assert attempt.answers.count() == 2
    assert client.get(response["Location"]).status_code == 200
    # Coming back to the link continues the same attempt.
    assert "Continue your interview" in client.get(invite_url(session)).content.decode()
    assert start(client, session)["Location"] == reverse("attempt_detail", args=[attempt.pk])
    assert Attempt.objects.filter(candidate=candidate).count() == 1


def test_a_wrong_token_is_a_404(client, candidate):
    login(client, candidate)
    assert client.get(reverse("invite", args=["not-a-token"])).status_code == 404
    assert client.post(reverse("invite_start", args=["not-a-token"])).status_code == 404


def test_a_practice_sessions_token_is_no_invite(client, session, candidate):
    Session.objects.filter(pk=session.pk).update(kind=Session.Kind.PRACTICE)
    login(client, candidate)
    assert client.get(invite_url(session)).status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"is_open": False}, "This interview is closed"),
        ({"opens_at": timezone.now() + timedelta(days=1)}, "not open yet"),
        ({"closes_at": timezone.now() - timedelta(minutes=1)}, "has expired"),
    ],
)
def test_closed_not_yet_open_and_expired_links_say_so_and_start_nothing(
    client, session, candidate, change, message
):
    Session.objects.filter(pk=session.pk).update(**change)
    login(client, candidate)

    page = client.get(invite_url(session)).content.decode()
    response = start(client, session)

    assert message in page and "Start the interview" not in page
    assert response.status_code == 302 and message in client.get(response["Location"]).content.decode()
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(
    ("change", "badge"),
    [
        ({}, "Open"),
        ({"is_open": False}, "Closed"),
        ({"opens_at": timezone.now() + timedelta(days=1)}, "Not open yet"),
        ({"closes_at": timezone.now() - timedelta(minutes=1)}, "Expired"),
    ],
)
def test_the_interviewer_sees_whether_the_link_admits_candidates_now(
    client, session, interviewer, change, badge
):
    Session.objects.filter(pk=session.pk).update(**{"is_open": True, **change})
    login(client, interviewer)
    for url in (reverse("hiring_sessions"), reverse("hiring_builder", args=[session.pk])):
        html = client.get(url).content.decode()
        assert re.search(rf'<span class="badge (open|closed)">{badge}</span>', html), url


def test_the_link_opens_at_its_opening_time(client, session, candidate):
    opens = timezone.now() + timedelta(hours=2)
    Session.objects.filter(pk=session.pk).update(opens_at=opens, closes_at=opens + timedelta(hours=1))
    login(client, candidate)
    with time_machine.travel(opens + timedelta(minutes=1)):
        start(client, session)
    assert Attempt.objects.filter(candidate=candidate).count() == 1


def test_attempts_allowed_are_counted_per_candidate(client, session, candidate, take):
    Session.objects.filter(pk=session.pk).update(attempts_allowed=2)
    take(candidate)
    take(candidate)
    login(client, candidate)

    page = client.get(invite_url(session)).content.decode()

    assert "You have used all your attempts at this interview (2)" in page
    assert start(client, session).status_code == 302
    assert Attempt.objects.filter(candidate=candidate).count() == 2
    # Another candidate still may.
    login(client, UserFactory())
    start(client, session)
    assert Attempt.objects.count() == 3


def test_regenerating_the_token_kills_the_old_link(client, session, interviewer, candidate):
    old = session.invite_token
    login(client, interviewer).post(reverse("hiring_invite_regenerate", args=[session.pk]))
    session.refresh_from_db()

    login(client, candidate)
    assert session.invite_token != old and len(session.invite_token) >= 20
    assert client.get(reverse("invite", args=[old])).status_code == 404
    assert client.get(invite_url(session)).status_code == 200


def test_random_items_are_drawn_per_candidate_from_their_choice(client, session):
    topic = TopicFactory(slug="rag")
    pool = [QuestionFactory(topics=[topic], difficulty="medium") for _ in range(8)]
    QuestionFactory(topics=[topic], difficulty="hard")  # wrong difficulty
    QuestionFactory(topics=[topic], difficulty="medium", status="draft")  # not published
    SessionItem.objects.create(session=session, order=3, topic=topic, difficulty="medium", count=2)

    drawn = []
    for _ in range(6):
        login(client, UserFactory())
        attempt = Attempt.objects.get(pk=int(start(client, session)["Location"].rstrip("/").split("/")[-1]))
        answers = list(attempt.answers.order_by("position"))
        assert len(answers) == 4 and answers[2].item == answers[3].item != answers[0].item
        picked = {answers[2].question_id, answers[3].question_id}
        assert len(picked) == 2 and picked <= {q.pk for q in pool}
        drawn.append(frozenset(picked))
    assert len(set(drawn)) > 1, "every candidate drew the same questions"


def test_a_random_item_with_too_few_questions_refuses_to_start_with_a_message(client, session, candidate):
    SessionItem.objects.create(session=session, order=3, topic=TopicFactory(slug="empty"), count=2)
    login(client, candidate)
    response = start(client, session)
    assert "too few published questions" in client.get(response["Location"]).content.decode()
    assert not Attempt.objects.exists()


def test_a_new_candidate_signs_up_from_the_link_and_comes_back_to_it(client, session):
    url = invite_url(session)
    form = client.get(reverse("signup"), {"next": url}).content.decode()
    assert f'name="next" value="{url}"' in form

    data = {
        "username": "newcomer",
        "password1": "qz-Long-pass-8731",
        "password2": "qz-Long-pass-8731",
        "next": url,
    }
    response = client.post(reverse("signup"), data)

    assert response.status_code == 302 and response["Location"] == url
    assert "Start the interview" in client.get(url).content.decode()


def test_sign_up_ignores_a_next_page_on_another_site(client):
    data = {"username": "newcomer", "password1": "qz-Long-pass-8731", "password2": "qz-Long-pass-8731"}
    response = client.post(reverse("signup"), {**data, "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")
