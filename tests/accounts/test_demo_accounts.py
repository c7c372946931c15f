from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.management.commands.create_demo_accounts import DEMO_ACCOUNTS
from accounts.models import User
from accounts.roles import is_admin, is_interviewer


def _run() -> str:
    out = StringIO()
    call_command("create_demo_accounts", "--force", stdout=out)
    return out.getvalue()


def test_without_debug_it_refuses_unless_forced(db, settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("create_demo_accounts", stdout=StringIO())
    assert not User.objects.exists()

    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=StringIO())
    assert User.objects.filter(username="candidate").exists()


def test_demo_accounts_are_created_with_their_roles_and_printed_once(db) -> None:
    first = _run()

    for username, (password, *_roles) in DEMO_ACCOUNTS.items():
        assert f"{username} / {password}" in first
        assert User.objects.get(username=username).check_password(password)
    assert is_admin(User.objects.get(username="admin"))
    assert User.objects.get(username="admin").is_superuser
    assert is_interviewer(User.objects.get(username="interviewer"))
    assert not is_admin(User.objects.get(username="interviewer"))
    candidate = User.objects.get(username="candidate")
    assert not is_interviewer(candidate) and not is_admin(candidate)


def test_a_second_run_changes_nothing_and_prints_no_password(db) -> None:
    _run()
    candidate = User.objects.get(username="candidate")
    candidate.set_password("my-own-password-7")
    candidate.save()
    before = list(User.objects.order_by("pk").values())

    second = _run()

    assert list(User.objects.order_by("pk").values()) == before
    assert "already exists" in second
    assert not any(password in second for password, *_roles in DEMO_ACCOUNTS.values())
