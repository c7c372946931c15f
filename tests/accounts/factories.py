"""Users in the three roles: candidate (anyone), interviewer (the group), admin (staff and superuser)."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory, Password

from accounts.models import User
from accounts.roles import INTERVIEWER_GROUP

PASSWORD = "pw-user-1"


class UserFactory(DjangoModelFactory):
    """A candidate: no group, not staff. `password` is the raw password (stored hashed)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = Password(PASSWORD)


class InterviewerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"interviewer{n}")

    @factory.post_generation
    def interviewer_group(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            # The data migration made the group; a transactional test's flush may have removed it since.
            self.groups.add(Group.objects.get_or_create(name=INTERVIEWER_GROUP)[0])


class AdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True
    is_superuser = True
