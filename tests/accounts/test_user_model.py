"""The project's own user model and the interviewer group, as migrations leave them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.models import User
from accounts.roles import INTERVIEWER_GROUP, is_admin, is_interviewer
from tests.accounts.factories import AdminFactory, InterviewerFactory, UserFactory


def test_the_user_model_is_the_projects_own() -> None:
    assert settings.AUTH_USER_MODEL == "accounts.User"
    assert get_user_model() is User


def test_migrating_makes_the_interviewer_group_and_unmigrating_removes_it(db) -> None:
    # Run here rather than trusting the test database: a transactional test's flush empties the tables.
    call_command("migrate", "accounts", "0001", verbosity=0)
    assert not Group.objects.filter(name=INTERVIEWER_GROUP).exists()

    call_command("migrate", "accounts", verbosity=0)

    assert Group.objects.filter(name=INTERVIEWER_GROUP).exists()


def test_the_factories_make_each_role(db) -> None:
    candidate, interviewer, admin = UserFactory(), InterviewerFactory(), AdminFactory()

    assert (is_interviewer(candidate), is_admin(candidate)) == (False, False)
    assert (is_interviewer(interviewer), is_admin(interviewer)) == (True, False)
    assert (is_interviewer(admin), is_admin(admin)) == (True, True)
    assert candidate.check_password("pw-user-1")
