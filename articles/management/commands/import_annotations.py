"""Read a W3C Web Annotation collection (JSON-LD) into an article's annotations."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.management.lookups import article_by_slug, user_by_username
from articles.w3c.reading import annotations_import, annotations_target_article


class Command(BaseCommand):
    help = (
        "Add the annotations in a W3C Web Annotation collection (as written by "
        "export_annotations) to an article. Nothing is saved unless every item is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The JSON-LD file to read (UTF-8).")
        parser.add_argument(
            "--article",
            metavar="SLUG",
            help="Import into this article instead of the one the file's annotations target.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the article's existing annotations first.",
        )
        parser.add_argument(
            "--author",
            metavar="USERNAME",
            help="Record this user as the author of the imported annotations.",
        )

    def handle(
        self,
        *args,
        file: str,
        article: str | None,
        replace: bool,
        author: str | None,
        **options,
    ) -> None:
        data = self.read(file)
        annotator = user_by_username(author) if author else None
        if article:
            target = article_by_slug(article)
        else:
            try:
                target = annotations_target_article(data=data)
            except ValidationError as error:
                raise CommandError(
                    " ".join(error.messages) + " Name the article with --article SLUG."
                ) from error
        try:
            created = annotations_import(
                article=target, data=data, author=annotator, replace=replace
            )
        except ValidationError as error:
            problems = "\n".join(f"  {message}" for message in error.messages)
            raise CommandError(f"Nothing was imported from {file}:\n{problems}") from error
        items = len((data.get("first") or {}).get("items") or [])
        message = f"Imported {created} annotation(s) into “{target.title}”"
        if items > created:
            message += f"; skipped {items - created} already there"
        self.stdout.write(self.style.SUCCESS(message + "."))

    def read(self, file: str) -> dict:
        """Return the file's JSON document, or raise CommandError saying why it cannot be read."""
        try:
            # utf-8-sig: editors on Windows like to start UTF-8 files with a byte-order mark.
            text = Path(file).read_text(encoding="utf-8-sig")
        except FileNotFoundError as error:
            raise CommandError(f"There is no file {file}.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text.") from error
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{file} is not valid JSON: {error.msg} at line {error.lineno}, "
                f"column {error.colno}."
            ) from error
        if not isinstance(data, dict):
            raise CommandError(f"{file} must hold a JSON object (a W3C AnnotationCollection).")
        return data
