from __future__ import annotations

from django.test import Client
from django.urls import reverse

from accounts.models import User

NEW_PASSWORD = "Quiet-river-2718"


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_sign_up_creates_a_candidate_and_logs_them_in(client: Client, db) -> None:
    response = client.post(
        reverse("signup"),
        {"username": "xiaoming", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    user = User.objects.get(username="xiaoming")
    assert response.redirect_chain[-1][0] == reverse("home")
    assert isinstance(response.context["user"], User) and response.context["user"] == user
    assert not user.is_staff and not user.groups.exists()
    assert any("xiaoming" in message for message in _messages(response))


def test_bad_sign_up_input_is_explained_and_creates_nobody(client: Client, candidate: User) -> None:
    taken = client.post(
        reverse("signup"), {"username": "candidate", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    mismatch = client.post(
        reverse("signup"), {"username": "new", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}
    )
    weak = client.post(reverse("signup"), {"username": "new", "password1": "123", "password2": "123"})

    for response, field in ((taken, "username"), (mismatch, "password2"), (weak, "password2")):
        assert response.status_code == 200
        assert response.context["form"].errors[field]
        assert _messages(response), "a summary message tells what happened"
        assert b'class="errorlist' in response.content
    assert list(User.objects.values_list("username", flat=True)) == ["candidate"]


def test_log_in_and_log_out(client: Client, candidate: User) -> None:
    page = client.get(reverse("login"))
    assert b'<form class="login' in page.content and b'type="submit"' in page.content

    response = client.post(
        reverse("login"), {"username": "candidate", "password": "pw-candidate-1"}, follow=True
    )
    assert response.context["user"] == candidate
    assert response.redirect_chain[-1][0] == reverse("home")

    client.post(reverse("logout"))
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_a_wrong_password_does_not_log_in(client: Client, candidate: User) -> None:
    response = client.post(reverse("login"), {"username": "candidate", "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not response.context["user"].is_authenticated


def test_password_change_keeps_the_user_logged_in_and_replaces_the_password(
    client: Client, candidate: User
) -> None:
    client.force_login(candidate)

    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-candidate-1", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert response.context["user"] == candidate
    candidate.refresh_from_db()
    assert candidate.check_password(NEW_PASSWORD)


def test_password_change_needs_the_old_password(client: Client, candidate: User) -> None:
    client.force_login(candidate)

    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    candidate.refresh_from_db()
    assert candidate.check_password("pw-candidate-1")


def test_password_change_needs_a_login(client: Client, db) -> None:
    response = client.get(reverse("password_change"))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_logged_in_user_is_sent_home_from_sign_up_and_log_in(client: Client, candidate: User) -> None:
    client.force_login(candidate)

    assert client.get(reverse("signup")).url == reverse("home")
    assert client.get(reverse("login")).url == reverse("home")
