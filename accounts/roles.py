"""The three roles: candidate (everyone), interviewer (a group), admin (staff)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

INTERVIEWER_GROUP = "interviewer"


def is_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_staff)


def is_interviewer(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Interviewers and admins build sessions and see every reference answer."""
    if not user.is_authenticated:
        return False
    return is_admin(user) or user.groups.filter(name=INTERVIEWER_GROUP).exists()
