"""Security checks over the whole site: CSRF on every POST, XSS in answers, open redirects, session fixation,
guessed ids. (Rate limits: tests/accounts/test_throttle.py, tests/interviews/test_limits.py; body caps:
tests/config/test_production.py; the reference rule: tests/catalogue/test_reference_visibility.py.)"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from interviews.services.attempts import answer_submit, attempt_finish, attempt_start
from tests.config.markup import XSS, assert_inert
from tests.interviews.factories import GradeFactory, SessionFactory, SessionItemFactory


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every URL of the site, with 1 / "x" for its arguments."""
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            found.append(route)
    paths = set()
    for route in found:
        path = re.sub(r"<int:\w+>", "1", route)
        path = re.sub(r"<(?:slug|str|path|uuid):\w+>|<\w+>", "x", path)
        if "(" in path or "^" in path or "$" in path or "\\" in path:
            continue  # the admin's regular expressions: covered by its own routes with arguments below
        paths.add(re.sub("/+", "/", "/" + path))
    return sorted(paths)


def test_every_post_without_a_csrf_token_is_refused(admin_user) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    paths = _routes()
    assert len(paths) > 30

    accepted = [p for p in paths if client.post(p, {"x": "1"}).status_code != 403]

    assert accepted == []


def test_the_csrf_refusal_is_the_sites_page_in_the_visitors_language(client, candidate) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate)

    response = client.post(reverse("practice_new"), headers={"accept-language": "en"})

    assert response.status_code == 403
    assert "css/app" in response.content.decode() and "log in again" in response.content.decode()


def test_answers_full_of_markup_are_shown_as_text(client, candidate) -> None:
    session = SessionFactory(owner=candidate)
    SessionItemFactory(session=session)
    attempt = attempt_start(candidate=candidate, session=session)
    answer = attempt.answers.get()
    answer_submit(answer=answer, text=XSS)
    attempt_finish(attempt=attempt)
    GradeFactory(answer=answer, feedback=XSS)
    client.force_login(candidate)

    html = client.get(reverse("attempt_results", args=[attempt.pk])).content.decode()

    # The saved texts travel as JSON (json_script escapes <, > and &), read by the page's own script.
    assert '<script id="saved-texts" type="application/json">' in html
    assert_inert(html)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_log_in_and_language_switch_never_redirect_off_site(client, candidate, target) -> None:
    client.get(reverse("login"))
    login = client.post(
        f"{reverse('login')}?next={target}",
        {"username": "candidate", "password": "pw-candidate-1", "next": target},
    )
    language = client.post(reverse("set_language"), {"language": "en", "next": target})

    for response in (login, language):
        assert response.status_code == 302
        assert "evil.example" not in response["Location"]


def test_logging_in_gives_a_new_session_id(client, candidate) -> None:
    client.get(reverse("login"))
    client.session["planted"] = "by an attacker"
    before = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    client.post(reverse("login"), {"username": "candidate", "password": "pw-candidate-1"})

    assert client.cookies["sessionid"].value != before


def test_guessed_attempt_ids_show_nothing_of_another_candidate(client, candidate, other_candidate) -> None:
    session = SessionFactory(owner=other_candidate)
    SessionItemFactory(session=session)
    theirs = attempt_start(candidate=other_candidate, session=session)
    client.force_login(candidate)

    for name, args in [
        ("attempt_detail", [theirs.pk]),
        ("attempt_results", [theirs.pk]),
        ("answer_save", [theirs.pk, 1]),
        ("answer_submit", [theirs.pk, 1]),
        ("answer_preview", [theirs.pk, 1]),
        ("attempt_finish", [theirs.pk]),
    ]:
        method = client.get if name in ("attempt_detail", "attempt_results") else client.post
        assert method(reverse(name, args=args), {"text": "mine now"}).status_code == 404, name
    assert theirs.answers.get().text == ""
