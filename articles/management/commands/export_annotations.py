"""Print an article's annotations as a W3C Web Annotation collection (JSON-LD)."""

import argparse
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.management.lookups import article_by_slug
from articles.w3c.export import annotations_export


def _indent(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of spaces, not “{value}”")
    return int(value)


class Command(BaseCommand):
    help = (
        "Print an article's annotations as a W3C Web Annotation collection (JSON-LD, UTF-8). "
        "import_annotations reads it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The article's slug.")
        parser.add_argument(
            "--indent",
            type=_indent,
            default=2,
            metavar="N",
            help="Spaces per indentation level; 0 puts the whole document on one line.",
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="Write to FILE (UTF-8) instead of standard output.",
        )

    def handle(self, *args, slug: str, indent: int, output: str | None, **options) -> None:
        article = article_by_slug(slug)
        document = json.dumps(
            annotations_export(article=article), ensure_ascii=False, indent=indent or None
        )
        if output:
            try:
                Path(output).write_text(document + "\n", encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}.") from error
            return
        # Quotes are printed as they are, so the terminal must take UTF-8 whatever the locale.
        reconfigure = getattr(self.stdout, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")
        self.stdout.write(document)
