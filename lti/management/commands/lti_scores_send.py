import time

from django.core.management.base import BaseCommand

from lti.scores import score_posts_send


class Command(BaseCommand):
    help = (
        "Post owed scores to learning platforms (LTI grade passback). Runs until stopped; "
        "--once makes one pass. Any number may run at once: each row is leased to one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds between passes (default 5)."
        )
        parser.add_argument("--batch", type=int, default=50, help="Rows per pass (default 50).")

    def handle(self, *args, once: bool, interval: float, batch: int, **options):
        while True:
            result = score_posts_send(limit=batch)
            if result.sent or result.failed or options["verbosity"] > 1:
                self.stdout.write(
                    f"Sent {result.sent}, unchanged {result.unchanged}, failed {result.failed}."
                )
            if once:
                return
            if result.sent + result.unchanged + result.failed < batch:
                time.sleep(interval)
