"""Read a W3C Web Annotation document (JSON-LD) into an article's annotations and proposals."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.management.lookups import article_by_slug, user_by_username
from articles.w3c.reading import (
    annotations_file_read,
    annotations_import,
    annotations_target_article,
)


class Command(BaseCommand):
    help = (
        "Add the annotations in a W3C Web Annotation document (an annotation, a page or a "
        "collection, as written by export_annotations or another tool such as Hypothesis) to "
        "an article: ours as annotations, other tools' as proposals for review. Nothing is "
        "saved unless every item is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The JSON-LD file to read (UTF-8).")
        parser.add_argument(
            "--article",
            metavar="SLUG",
            help=(
                "Import into this article instead of the one the file's annotations target; "
                "annotations of another document are then placed by their quotes alone."
            ),
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
            result = annotations_import(
                article=target,
                data=data,
                author=annotator,
                replace=replace,
                retarget=bool(article),
            )
        except ValidationError as error:
            problems = "\n".join(f"  {message}" for message in error.messages)
            raise CommandError(f"Nothing was imported from {file}:\n{problems}") from error
        message = f"Imported {result.annotations} annotation(s) into “{target.title}”"
        if result.proposals:
            message += f", and {result.proposals} proposal(s) for review"
        if result.skipped:
            message += f"; skipped {result.skipped} already there"
        self.stdout.write(self.style.SUCCESS(message + "."))
        for note in result.left_out:
            self.stdout.write(self.style.WARNING(note))

    def read(self, file: str) -> dict:
        """Return the file's JSON document, or raise CommandError saying why it cannot be read."""
        try:
            data = Path(file).read_bytes()
        except FileNotFoundError as error:
            raise CommandError(f"There is no file {file}.") from error
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            return annotations_file_read(data=data)
        except ValidationError as error:
            raise CommandError(f"Cannot read {file}: {' '.join(error.messages)}") from error
