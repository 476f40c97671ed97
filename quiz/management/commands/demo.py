"""Create (or bring up to date) the demo classroom, so `make run` opens on a working class."""

import base64
import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.crypto import salted_hmac

from quiz.roles import teachers_group_ensure

DEMO_TEACHER = "demo-teacher"
DEMO_STUDENTS = [f"demo-student-{n}" for n in range(1, 4)]


def demo_password(username: str) -> str:
    """Return the demo password for a user: DEMO_PASSWORD, or one derived from SECRET_KEY.

    Deriving it (rather than drawing a fresh random one) keeps `demo` idempotent: a second
    run prints the same, still-working passwords and changes no row.
    """
    if os.environ.get("DEMO_PASSWORD"):
        return os.environ["DEMO_PASSWORD"]
    digest = salted_hmac("sourcewise.demo-password", username).digest()
    token = base64.b32encode(digest).decode().lower()[:12]
    return "-".join(token[i : i + 4] for i in range(0, 12, 4))


def user_ensure(*, username: str, first_name: str, last_name: str, staff: bool = False):
    """Create the user if missing and make its name, role and password what the demo says."""
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=username)
    changed = False
    for field, value in {
        "first_name": first_name,
        "last_name": last_name,
        "is_staff": staff,
        "is_active": True,
    }.items():
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed = True
    password = demo_password(username)
    if not user.check_password(password):
        user.set_password(password)
        changed = True
    if changed:
        user.save()
    return user, password


class Command(BaseCommand):
    help = "Create the demo teacher, students and classroom. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (creates accounts with known passwords).",
        )
        parser.add_argument(
            "--url",
            default=os.environ.get("DEMO_URL", "http://127.0.0.1:8000/"),
            help="The address printed for logging in.",
        )

    def handle(self, *args, force: bool, url: str, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like a production site: the demo creates "
                "accounts with known passwords. Run with --force if you really mean it."
            )
        logins = self.build()
        self.stdout.write(self.style.SUCCESS("Demo ready."))
        self.stdout.write(f"Open {url} and log in as:")
        width = max(len(username) for username, _password, _role in logins)
        for username, password, role in logins:
            self.stdout.write(f"  {username.ljust(width)}  password: {password}  ({role})")

    @transaction.atomic
    def build(self) -> list[tuple[str, str, str]]:
        teachers = teachers_group_ensure()
        teacher, teacher_password = user_ensure(
            username=DEMO_TEACHER, first_name="Dana", last_name="Reyes", staff=True
        )
        if not teacher.groups.filter(pk=teachers.pk).exists():
            teacher.groups.add(teachers)
        logins = [(DEMO_TEACHER, teacher_password, "teacher")]
        first_names = ["Amara", "Ben", "Chloé"]
        for username, first_name in zip(DEMO_STUDENTS, first_names, strict=True):
            _student, password = user_ensure(
                username=username, first_name=first_name, last_name="Demo"
            )
            logins.append((username, password, "student"))
        return logins
