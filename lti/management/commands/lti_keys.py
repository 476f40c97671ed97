import itertools
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from lti_tool.models import Key


class Command(BaseCommand):
    help = (
        "Make Sourcewise's LTI signing key pair, stored in the database (never in the "
        "repository). --rotate makes a new pair that signs from now on; a replaced pair stays "
        "in the public key set for --keep-days after its replacement (checked at every run), "
        "so platforms can still check what it signed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rotate", action="store_true", help="Make a new pair even if one exists."
        )
        parser.add_argument(
            "--keep-days",
            type=int,
            default=7,
            help="Days a replaced pair stays published (default 7).",
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
            key = None
            if rotate or not active.exists():
                key = Key.objects.generate()
            retired = self._retire_superseded(keep_days)
        if key is None:
            self.stdout.write(f"A key pair exists already ({Key.objects.active().latest()}).")
        else:
            self.stdout.write(self.style.SUCCESS(f"Made key pair {key}; it signs from now on."))
        if retired:
            self.stdout.write(f"Retired {retired} pair(s) replaced more than {keep_days} days ago.")

    @staticmethod
    def _retire_superseded(keep_days: int) -> int:
        """Take out of the key set each pair a newer one replaced more than keep_days ago."""
        cutoff = timezone.now() - timedelta(days=keep_days)
        keys = list(Key.objects.active().order_by("datetime_created", "pk"))
        old = [
            key.pk for key, newer in itertools.pairwise(keys) if newer.datetime_created <= cutoff
        ]
        return Key.objects.filter(pk__in=old).update(is_active=False)
