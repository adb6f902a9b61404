import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from reviews.roles import EDITORS, FACT_CHECKERS, LEGAL_REVIEWERS

DEMO_ACCOUNTS = [
    ("editor", "Eda", "Editor", EDITORS, ""),
    ("checker1", "Chen", "Checker", FACT_CHECKERS, "defence, conflict"),
    ("checker2", "Carla", "Checker", FACT_CHECKERS, "politics, economy"),
    ("legal", "Leo", "Legal", LEGAL_REVIEWERS, ""),
]


class Command(BaseCommand):
    help = (
        "Create the demo accounts (editor, checker1, checker2, legal). Existing accounts are "
        "left alone. The password comes from $DEMO_PASSWORD, else one is generated and printed."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        missing = [a for a in DEMO_ACCOUNTS if not User.objects.filter(username=a[0]).exists()]
        if not missing:
            self.stdout.write("demo accounts already exist; nothing to do")
            return
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        for username, first, last, group, expertise in missing:
            user = User.objects.create_user(
                username=username,
                password=password,
                first_name=first,
                last_name=last,
                email=f"{username}@newsroom.example",
                is_staff=True,
                expertise=expertise,
            )
            user.groups.add(Group.objects.get(name=group))
            self.stdout.write(f"created {username} ({group})")
        if os.environ.get("DEMO_PASSWORD"):
            self.stdout.write("password: the value of DEMO_PASSWORD")
        else:
            self.stdout.write(self.style.WARNING(f"demo password (shown once): {password}"))
