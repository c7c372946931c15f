from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """The project's own user from the first migration, so that profile fields never need a data migration.

    Roles are not columns: staff are admins, the `interviewer` group holds interviewers (accounts.roles).
    """

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
