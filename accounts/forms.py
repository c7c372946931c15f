from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.forms import UserCreationForm, UsernameField

from accounts.models import User

if TYPE_CHECKING:
    _UserCreationForm = UserCreationForm[User]
else:  # the form class is generic only in the type stubs
    _UserCreationForm = UserCreationForm


class SignupForm(_UserCreationForm):
    class Meta:
        model = User
        fields = ("username",)
        field_classes = {"username": UsernameField}
