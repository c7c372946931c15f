"""Demo accounts for `make run`: admin, interviewer and candidate.

The passwords are fixed, public strings on purpose: a demo must be reachable after the first run's output has
scrolled away, and the browser tests log in with them. Never run this on a server that others can reach.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.roles import INTERVIEWER_GROUP

# username -> (password, is_staff and superuser, interviewer group)
DEMO_ACCOUNTS: dict[str, tuple[str, bool, bool]] = {
    "admin": ("mianshi-admin-demo", True, False),
    "interviewer": ("mianshi-interviewer-demo", False, True),
    "candidate": ("mianshi-candidate-demo", False, False),
}


class Command(BaseCommand):
    help = "Create the demo accounts (admin, interviewer, candidate) if missing and print their credentials."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Create them even without DEBUG (a server others can reach)."
        )

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to create demo accounts with public passwords without DEBUG: "
                "this looks like a production server. Pass --force if it really is a demo."
            )
        user_model = get_user_model()
        group, _ = Group.objects.get_or_create(name=INTERVIEWER_GROUP)
        for username, (password, is_admin, is_interviewer) in DEMO_ACCOUNTS.items():
            if user_model.objects.filter(username=username).exists():
                self.stdout.write(f"Demo account {username!r} already exists; its password was not changed.")
                continue
            user = user_model.objects.create_user(
                username, password=password, is_staff=is_admin, is_superuser=is_admin
            )
            if is_interviewer:
                user.groups.add(group)
            self.stdout.write(self.style.SUCCESS(f"Demo account created: {username} / {password}"))
