from __future__ import annotations

from django.contrib.auth.forms import UserCreationForm, UsernameField

from accounts.models import User


class SignupForm(UserCreationForm[User]):
    class Meta:
        model = User
        fields = ("username",)
        field_classes = {"username": UsernameField}
