"""Log-in lockout (per address and per username, site and admin alike), sign-up limit, guessable passwords."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from config.cache import FailSoftRedisCache
from tests.accounts.factories import UserFactory


def _log_in(client, username: str, password: str, url: str | None = None, ip: str = "10.0.0.1"):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        headers={"accept-language": "en"},
    )


def test_after_repeated_wrong_passwords_even_the_right_one_is_refused_with_the_lockout(
    client, candidate, rate_limits, settings
) -> None:
    settings.RATELIMITS = {**settings.RATELIMITS, "login_username": "5/15m"}
    for _ in range(5):
        assert _log_in(client, "candidate", "wrong-password").status_code == 200

    locked = _log_in(client, "candidate", "pw-candidate-1")

    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The lock is on the account, from any address; other accounts are untouched.
    assert _log_in(client, "Candidate", "pw-candidate-1", ip="10.9.9.9").status_code == 429
    UserFactory(username="bystander", password="pw-bystander-1")
    assert _log_in(client, "bystander", "pw-bystander-1").status_code == 302


def test_right_passwords_are_never_counted(client, candidate, rate_limits, settings) -> None:
    settings.RATELIMITS = {**settings.RATELIMITS, "login_username": "2/15m"}
    for _ in range(4):
        assert _log_in(client, "candidate", "pw-candidate-1").status_code == 302
        client.logout()


def test_one_address_guessing_many_accounts_is_stopped(client, db, rate_limits, settings) -> None:
    settings.RATELIMITS = {**settings.RATELIMITS, "login_ip": "6/15m"}
    for n in range(6):
        _log_in(client, f"user{n}", "guess")
    UserFactory(username="victim", password="pw-victim-1")

    assert _log_in(client, "victim", "pw-victim-1").status_code == 429
    assert _log_in(client, "victim", "pw-victim-1", ip="10.0.0.2").status_code == 302


def test_the_admin_log_in_shares_the_lockout(client, admin_user, rate_limits, settings) -> None:
    settings.RATELIMITS = {**settings.RATELIMITS, "login_username": "3/15m"}
    admin_login = reverse("admin:login")
    for _ in range(3):
        assert _log_in(client, "admin", "wrong", url=admin_login).status_code == 200

    locked = _log_in(client, "admin", "pw-admin-1", url=admin_login)

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_sign_ups_from_one_address_are_limited_with_the_429_page(client, db, rate_limits, settings) -> None:
    settings.RATELIMITS = {**settings.RATELIMITS, "signup_ip": "2/h"}
    for n in range(2):
        data = {"username": f"new{n}", "password1": "a quiet harbour 42", "password2": "a quiet harbour 42"}
        assert client.post(reverse("signup"), data).status_code == 302
        client.logout()

    refused = client.post(reverse("signup"), {"username": "new9"}, headers={"accept-language": "en"})

    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()


def test_without_a_reachable_cache_limits_fail_open(client, candidate, rate_limits, settings) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSoftRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    assert _log_in(client, "candidate", "wrong").status_code == 200
    assert _log_in(client, "candidate", "pw-candidate-1").status_code == 302


@pytest.mark.parametrize(
    "password", ["mianshi123", "Mianshi2024!", "password1234", "candidate99", "12345678ab"]
)
def test_guessable_passwords_are_refused(db, password) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_password_made_of_the_username_and_digits_is_refused(db) -> None:
    user = UserFactory.build(username="xiaoming")
    with pytest.raises(ValidationError):
        validate_password("xiaoming2024", user=user)


@pytest.mark.parametrize("password", ["a quiet harbour 42", "mianshi-candidate-demo", "zhe-shi-wo-de-mima"])
def test_passphrases_are_accepted(db, password) -> None:
    validate_password(password)


def test_the_redis_cache_builds_one_client_per_pool_not_one_per_operation(settings) -> None:
    cache = FailSoftRedisCache(settings.CELERY_BROKER_URL, {})
    cache.set("mianshi-test-reuse", 1)
    client = cache._cache.get_client(write=True)
    assert cache.get("mianshi-test-reuse") == 1 and cache.incr("mianshi-test-reuse") == 2
    assert cache._cache.get_client(write=True) is client and cache._cache.get_client() is client
    cache.delete("mianshi-test-reuse")


def test_the_redis_cache_counts_in_one_round_trip_and_keeps_djangos_missing_key_error(settings) -> None:
    cache = FailSoftRedisCache(settings.CELERY_BROKER_URL, {})
    cache.delete("mianshi-test-incr")
    with pytest.raises(ValueError):
        cache.incr("mianshi-test-incr")
    assert cache.get("mianshi-test-incr") is None  # a missing key is not created by counting it
    cache.add("mianshi-test-incr", 0, 60)
    client = cache._cache.get_client(write=True)
    commands = []
    original = client.execute_command
    client.execute_command = lambda *args, **options: commands.append(args[0]) or original(*args, **options)
    try:
        assert cache.incr("mianshi-test-incr", 5) == 5
    finally:
        del client.execute_command
    assert commands == ["EVALSHA"]
    assert cache._cache.get_client(write=True).ttl(cache.make_and_validate_key("mianshi-test-incr")) > 0
    cache.delete("mianshi-test-incr")
