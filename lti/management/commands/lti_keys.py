from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from lti_tool.models import Key


class Command(BaseCommand):
    help = (
        "Make Sourcewise's LTI signing key pair, stored in the database (never in the "
        "repository). --rotate makes a new pair that signs from now on; older pairs stay in "
        "the public key set for --keep-days, so platforms can still check what they signed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rotate", action="store_true", help="Make a new pair even if one exists."
        )
        parser.add_argument(
            "--keep-days",
            type=int,
            default=7,
            help="Days an older pair stays published after a rotation (default 7).",
        )
        parser.add_argument("--list", action="store_true", help="List the pairs and stop.")

    def handle(self, *args, rotate: bool, keep_days: int, list: bool, **options):
        if keep_days < 0:
            raise CommandError("--keep-days cannot be negative.")
        if list:
            for key in Key.objects.order_by("-datetime_created"):
                state = "published" if key.is_active else "retired"
                self.stdout.write(f"{key} {state} made {key.datetime_created:%Y-%m-%d %H:%M}")
            return
        with transaction.atomic():
            active = Key.objects.active()
            if active.exists() and not rotate:
                self.stdout.write(f"A key pair exists already ({active.latest()}); nothing to do.")
                return
            key = Key.objects.generate()
            retired = (
                Key.objects.active()
                .exclude(pk=key.pk)
                .filter(datetime_created__lt=timezone.now() - timedelta(days=keep_days))
                .update(is_active=False)
            )
        self.stdout.write(self.style.SUCCESS(f"Made key pair {key}; it signs from now on."))
        if retired:
            self.stdout.write(f"Retired {retired} pair(s) older than {keep_days} days.")
