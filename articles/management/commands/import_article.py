"""Import a news article from a .txt file or a web page saved as HTML."""

import json
import os
import stat
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.roles import DEMO_TEACHER
from articles.importing import MAX_IMPORT_BYTES, article_import, size_error_message
from articles.management.lookups import user_by_username
from articles.models import Article
from articles.services import proposals_suggest_safely


class Command(BaseCommand):
    help = (
        "Import an article from a plain-text file (headline on the first line) or a web page "
        "saved from the browser (.html). Nothing is saved if the file cannot be used."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The .txt, .html or .htm file to import.")
        parser.add_argument("--url", default="", help="The address the article was published at.")
        parser.add_argument(
            "--owner",
            metavar="USERNAME",
            help=f"The teacher who owns it (default: the first superuser, else {DEMO_TEACHER}).",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print the imported article as JSON.",
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish it now instead of saving a draft."
        )

    def handle(
        self,
        *args,
        path: str,
        url: str,
        owner: str | None,
        as_json: bool,
        publish: bool,
        **options,
    ) -> None:
        data = self.read(path)
        user = self.owner(owner)
        try:
            article = article_import(
                data=data,
                filename=Path(path).name,
                owner=user,
                url=url,
                status=Article.Status.PUBLISHED if publish else Article.Status.DRAFT,
            )
        except ValidationError as error:
            raise CommandError(f"{path} was not imported: {' '.join(error.messages)}") from error
        # The proposals wait in the editor; the import stands even when none come.
        suggested = proposals_suggest_safely(article=article)
        if suggested.error:
            self.stderr.write(f"{suggested.message} ({suggested.error})")
        if as_json:
            self.stdout.write(self.article_json(article))
        else:
            summary = (
                f"Imported “{article.title}” as {article.get_status_display().lower()} "
                f"(id {article.pk}, slug {article.slug}, {len(article.paragraphs)} paragraphs)."
            )
            if not suggested.error:
                summary += f" {suggested.message}"
            self.stdout.write(self.style.SUCCESS(summary))

    def read(self, path: str) -> bytes:
        """Return the file's bytes, refusing a file over the limit before reading any of it."""
        try:
            info = os.stat(path)
        except FileNotFoundError as error:
            raise CommandError(f"There is no file {path}.") from error
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        if not stat.S_ISREG(info.st_mode):
            raise CommandError(f"{path} is not a file.")
        if info.st_size > MAX_IMPORT_BYTES:
            raise CommandError(f"{path} was not imported: {size_error_message(info.st_size)}")
        try:
            with open(path, "rb") as file:
                # One byte more than the limit: enough to notice a file that grew meanwhile.
                return file.read(MAX_IMPORT_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error

    def owner(self, username: str | None):
        """Return the named user, or the default owner, or raise CommandError saying why not."""
        if username:
            return user_by_username(username)
        users = get_user_model().objects
        user = (
            users.filter(is_superuser=True, is_active=True).order_by("pk").first()
            or users.filter(username=DEMO_TEACHER).first()
        )
        if user is None:
            raise CommandError(
                "Who should own the article? Name a user with --owner USERNAME, or create a "
                "superuser (manage.py createsuperuser) or the demo teacher (manage.py demo)."
            )
        return user

    def article_json(self, article: Article) -> str:
        return json.dumps(
            {
                "id": article.pk,
                "slug": article.slug,
                "title": article.title,
                "byline": article.byline,
                "outlet": article.outlet.name if article.outlet else None,
                "published_on": article.published_on.isoformat() if article.published_on else None,
                "body": article.body,
            },
            ensure_ascii=False,
            indent=2,
        )
