"""Find the attributions in texts, one JSON object a line in and one a line out."""

import json
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import Any, BinaryIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.attribution import attributions_find


class Command(BaseCommand):
    help = (
        'Read JSON Lines, each {"id": ..., "text": "..."}, and write one line for each: '
        '{"id": ..., "attributions": [{"source": [[start, end], ...], "cue": [[start, end]], '
        '"content": [[start, end], ...]}, ...]}. Offsets count characters (Unicode code '
        "points) into text, end exclusive. Blank lines are skipped; a bad line stops the "
        "command with its number, after the lines before it are written whole."
    )
    # Reads and writes files only: no database, so no checks of it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", metavar="IN", help='The JSON Lines file to read (UTF-8), or "-" for stdin.'
        )

    def handle(self, *args, path: str, **options) -> None:
        name = "standard input" if path == "-" else path
        for number, item in self.items(path, name):
            try:
                attributions = attributions_find(item["text"])
            except Exception as error:
                raise CommandError(
                    f"{name}, line {number}: finding the attributions failed: "
                    f"{type(error).__name__}: {error}"
                ) from error
            line = json.dumps(
                {"id": item["id"], "attributions": [a.as_json() for a in attributions]},
                ensure_ascii=False,
            )
            # The whole line at once: output stopped by an error ends after a complete line.
            self.stdout.write(line)
            self.stdout.flush()

    def items(self, path: str, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """Each line's number and its object, checked; blank lines are passed over."""
        with self.opened(path) as file:
            for number, raw in enumerate(file, start=1):
                try:
                    # A byte-order mark some editors put at the start of a file is no text.
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as error:
                    raise CommandError(f"{name}, line {number}: this is not UTF-8 text.") from error
                if line.strip():
                    yield number, self.item(line, f"{name}, line {number}")

    def opened(self, path: str) -> AbstractContextManager[BinaryIO]:
        """The file to read as bytes, to be closed after; standard input is left open."""
        if path == "-":
            return nullcontext(sys.stdin.buffer)
        try:
            # The caller's with block closes it.
            return open(path, "rb")
        except FileNotFoundError as error:
            raise CommandError(f"There is no file {path}.") from error
        except IsADirectoryError as error:
            raise CommandError(f"{path} is a folder, not a file.") from error
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error

    def item(self, line: str, where: str) -> dict[str, Any]:
        """The line's object, or CommandError saying what is wrong with it."""
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{where}: this is not JSON ({error.msg} at character {error.pos + 1})."
            ) from error
        if not isinstance(item, dict):
            raise CommandError(f'{where}: expected an object {{"id": ..., "text": ...}}.')
        if "id" not in item:
            raise CommandError(f'{where}: the object has no "id".')
        if "text" not in item:
            raise CommandError(f'{where}: the object has no "text".')
        if not isinstance(item["text"], str):
            raise CommandError(f'{where}: "text" must be a string, not {_json_type(item["text"])}.')
        return item


def _json_type(value: Any) -> str:
    """What a JSON value is, in JSON's words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    return "an object"
