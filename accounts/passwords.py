"""A password validator for guessable words dressed up with digits: "mianshi123", "Password!2024"."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Words anyone would try first on this site.
SITE_WORDS = frozenset({"mianshi", "mianshiguan", "interview", "candidate", "interviewer", "admin", "llm"})
_DECORATION = re.compile(r"[\d\W_]+")


class GuessableWordValidator:
    """Refuse a password whose letters, once digits and symbols are removed, are a common password, a site
    word, the username, or fewer than four."""

    def __init__(self) -> None:
        self._common = CommonPasswordValidator().passwords

    def validate(self, password: str, user: Any = None) -> None:
        core = _DECORATION.sub("", password).lower()
        username = (getattr(user, "username", "") or "").lower()
        if len(core) < 4 or core in self._common or core in SITE_WORDS or (username and core == username):
            raise ValidationError(
                _("This password is a common word with digits or symbols added; it is easy to guess."),
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return _("Your password can't be a common word with digits or symbols added.")
