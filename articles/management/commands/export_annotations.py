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


def _base_url(value: str) -> str:
    scheme, _, rest = value.partition("://")
    if scheme not in ("http", "https") or not rest.strip("/") or "/" in rest.strip("/"):
        raise argparse.ArgumentTypeError(
            f"expected the site's address, such as https://school.example, not “{value}”"
        )
    return value.rstrip("/")


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
            "--base-url",
            type=_base_url,
            metavar="URL",
            help=(
                "The site's address (https://school.example): ids become the HTTP URLs this "
                "site serves the annotations at. Without it they are urn:uuid: URNs."
            ),
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="Write to FILE (UTF-8) instead of standard output.",
        )

    def handle(
        self,
        *args,
        slug: str,
        indent: int,
        base_url: str | None,
        output: str | None,
        **options,
    ) -> None:
        article = article_by_slug(slug)
        document = json.dumps(
            annotations_export(article=article, base_url=base_url),
            ensure_ascii=False,
            indent=indent or None,
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
