"""The three roles: candidate (everyone), interviewer (a group), admin (staff)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

INTERVIEWER_GROUP = "interviewer"

AnyUser = AbstractBaseUser | AnonymousUser


def is_admin(user: AnyUser) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_staff", False))


def is_interviewer(user: AnyUser) -> bool:
    """Interviewers and admins build sessions and see every reference answer."""
    if not user.is_authenticated:
        return False
    return is_admin(user) or user.groups.filter(name=INTERVIEWER_GROUP).exists()  # type: ignore[attr-defined]
