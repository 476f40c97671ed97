"""Make the boosters that have fallen due: safe to run from cron every few minutes."""

from django.core.management.base import BaseCommand

from quiz.services.boosters import boosters_create_due


class Command(BaseCommand):
    help = (
        "Make each practice set (booster) that has fallen due since an assignment closed. "
        "Idempotent: a booster already made is never made again, even by runs at the same time."
    )

    def handle(self, *args, **options) -> None:
        made = boosters_create_due()
        self.stdout.write(f"{made} booster{'s' if made != 1 else ''} made.")
