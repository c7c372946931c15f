"""A page whose log-in ended (logged out in another tab) and the requests it goes on making."""

from __future__ import annotations

from django.test import Client

ATTEMPT_PAGE = "http://testserver/attempts/7/?q=2"


def test_an_htmx_request_gets_401_and_sends_the_page_to_log_in_and_back(client: Client, db) -> None:
    response = client.post(
        "/attempts/7/answers/2/save/",
        {"text": "typed after the log-out"},
        headers={"HX-Request": "true", "HX-Current-URL": ATTEMPT_PAGE},
    )

    # Not a 2xx: the page must not take the log-in page for its saved answer.
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/accounts/login/?next=/attempts/7/%3Fq%3D2"


def test_a_form_post_comes_back_to_its_page_after_log_in(client: Client, db) -> None:
    response = client.post("/attempts/7/finish/", {}, headers={"Referer": ATTEMPT_PAGE})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/attempts/7/%3Fq%3D2"


def test_another_sites_page_is_never_the_way_back(client: Client, db) -> None:
    response = client.post("/attempts/7/finish/", {}, headers={"Referer": "https://evil.example/attempts/7/"})

    assert response["Location"] == "/accounts/login/?next=/"


def test_a_page_still_goes_to_log_in_and_back_to_itself(client: Client, db) -> None:
    response = client.get("/attempts/7/?q=2")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/attempts/7/%3Fq%3D2"


def test_a_logged_in_users_redirects_are_left_alone(client: Client, candidate) -> None:
    client.force_login(candidate)

    response = client.post("/accounts/logout/", headers={"Referer": ATTEMPT_PAGE})

    assert response.status_code == 302 and "next" not in response["Location"]
