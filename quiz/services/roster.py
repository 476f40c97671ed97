"""A class's students: roster import, adding one by hand, generated passwords, removing one."""

import csv
import io
import re
import secrets
import unicodedata
from dataclasses import dataclass

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from quiz.models import (
    Classroom,
    Enrollment,
)


@transaction.atomic
def enrollment_remove(*, classroom: Classroom, student) -> None:
    """Take a student out of the class; their account and attempts are kept."""
    deleted, _details = Enrollment.objects.filter(classroom=classroom, student=student).delete()
    if not deleted:
        raise ValidationError(_("%(name)s is not in this class.") % {"name": display_name(student)})


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


# Readable generated passwords: two short words and three digits. No word has an i, l or o,
# and the digits skip 0 and 1, so nothing reads as another character off a printed card.
PASSWORD_WORDS = (
    "acre",
    "amber",
    "apex",
    "badge",
    "badger",
    "baker",
    "bakery",
    "banana",
    "barber",
    "basket",
    "beach",
    "beaver",
    "berry",
    "brave",
    "breeze",
    "brush",
    "bucket",
    "buffet",
    "cactus",
    "camera",
    "camper",
    "candy",
    "canvas",
    "cape",
    "carpet",
    "cashew",
    "cavern",
    "cedar",
    "center",
    "chapter",
    "charm",
    "chart",
    "cheese",
    "cheetah",
    "cherry",
    "craft",
    "crane",
    "crater",
    "cream",
    "crest",
    "cube",
    "cupcake",
    "curve",
    "dance",
    "dart",
    "dawn",
    "desert",
    "dessert",
    "dragster",
    "dune",
    "eager",
    "earth",
    "easy",
    "edge",
    "ember",
    "enter",
    "fancy",
    "feather",
    "fern",
    "fever",
    "fresh",
    "fudge",
    "garden",
    "gem",
    "genre",
    "gravy",
    "great",
    "guard",
    "guess",
    "hammer",
    "hamster",
    "harvest",
    "heart",
    "hedge",
    "humpback",
    "hunter",
    "jacket",
    "jaguar",
    "jam",
    "jasper",
    "judge",
    "karma",
    "kayak",
    "ketchup",
    "knee",
    "macaw",
    "magnet",
    "march",
    "market",
    "merry",
    "mesa",
    "nectar",
    "nest",
    "nugget",
    "nutmeg",
    "pasta",
    "peach",
    "peanut",
    "pepper",
    "perch",
    "puppy",
    "quarter",
    "quest",
    "radar",
    "rafter",
    "ranger",
    "raven",
    "ready",
    "reef",
    "sand",
    "saturn",
    "scarf",
    "secret",
    "seven",
    "shark",
    "sheep",
    "shrub",
    "sketch",
    "snack",
    "spark",
    "spruce",
    "star",
    "summer",
    "sunset",
    "super",
    "swamp",
    "target",
    "taste",
    "teacup",
    "tender",
    "thunder",
    "trumpet",
    "tuba",
    "tundra",
    "urban",
    "verse",
    "water",
    "wave",
    "wheat",
    "wren",
    "yacht",
    "yard",
    "zebra",
    "zephyr",
)
PASSWORD_DIGITS = "23456789"  # noqa: S105 - an alphabet, not a password


def password_generate(*, user=None) -> str:
    """Return a random password like "amber-kettle-472" that passes the site's validators."""
    for _attempt in range(20):
        password = "-".join(
            [
                secrets.choice(PASSWORD_WORDS),
                secrets.choice(PASSWORD_WORDS),
                "".join(secrets.choice(PASSWORD_DIGITS) for _ in range(3)),
            ]
        )
        try:
            password_validation.validate_password(password, user)
        except ValidationError:
            continue
        return password
    raise ValidationError(_("No password could be generated just now. Try again."))


@transaction.atomic
def student_password_reset(*, classroom: Classroom, student) -> str:
    """Give a student of the class a new generated password and return it, to show once."""
    if not Enrollment.objects.filter(classroom=classroom, student=student).exists():
        raise ValidationError(_("%(name)s is not in this class.") % {"name": display_name(student)})
    if student.is_staff or student.is_superuser:
        raise ValidationError(
            _("%(name)s has a staff account; its password is changed in the admin, not here.")
            % {"name": display_name(student)}
        )
    password = password_generate(user=student)
    student.set_password(password)
    student.save(update_fields=["password"])
    return password


# Roster import

ROSTER_MAX_BYTES = 1024 * 1024
# Each new account's password is hashed on purpose slowly (about 0.2 s), so one file is
# capped at a class, well inside a web request's time.
ROSTER_MAX_STUDENTS = 60
ROSTER_FIRST_NAME = {"first name", "firstname", "given name", "forename", "first"}
ROSTER_LAST_NAME = {"last name", "lastname", "surname", "family name", "last"}
ROSTER_FULL_NAME = {"name", "full name", "student", "student name", "pupil"}
USERNAME_TRANSLITERATION = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
    }
)


@dataclass(frozen=True)
class RosterRow:
    line: int
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def key(self) -> tuple[str, str]:
        return (self.first_name.casefold(), self.last_name.casefold())


@dataclass(frozen=True)
class RosterSkip:
    line: int
    name: str
    reason: str


@dataclass
class RosterImport:
    created: list[tuple[object, str]]
    skipped: list[RosterSkip]
    empty_lines: list[int]


def _roster_header(cell: str) -> str:
    return " ".join(cell.replace("_", " ").replace("-", " ").casefold().split())


def _roster_text(data: bytes) -> str:
    if len(data) > ROSTER_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than 1 MB. A class list is much smaller: check the file.")
        )
    if b"\x00" in data:
        raise ValidationError(
            _("This is not a CSV file. Save the class list from your spreadsheet as CSV.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _(
                "This file is not UTF-8 text. In your spreadsheet choose “CSV UTF-8” when "
                "saving (Excel) or File › Download › CSV (Google Sheets)."
            )
        ) from None
    if not text.strip():
        raise ValidationError(_("The file is empty."))
    if any(unicodedata.category(ch) == "Cc" and ch not in "\r\n\t" for ch in text):
        raise ValidationError(
            _("This is not a CSV file. Save the class list from your spreadsheet as CSV.")
        )
    return text


def roster_csv_read(*, data: bytes) -> tuple[list[RosterRow], list[int]]:
    """Read a class list (a header row, then one student a row) into names and blank lines.

    The header names the columns: "First name" and "Last name", or a single "Name".
    Raises ValidationError, naming the problem, for anything that is not such a file.
    """
    text = _roster_text(data)
    first_line = text.splitlines()[0]
    # Spreadsheets in many languages save with semicolons; tabs come from copy and paste.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ValidationError(
            _("This file could not be read as CSV (%(problem)s).") % {"problem": error}
        ) from None
    header = [_roster_header(cell) for cell in lines[0]]
    first = next((i for i, h in enumerate(header) if h in ROSTER_FIRST_NAME), None)
    last = next((i for i, h in enumerate(header) if h in ROSTER_LAST_NAME), None)
    full = next((i for i, h in enumerate(header) if h in ROSTER_FULL_NAME), None)
    if first is None and full is None:
        raise ValidationError(
            _(
                "The first row must name the columns: “First name” and “Last name”, or "
                "“Name”. The first row of this file is: %(header)s."
            )
            % {"header": ", ".join(c.strip() for c in lines[0])[:200] or _("(empty)")}
        )
    max_length = get_user_model()._meta.get_field("first_name").max_length
    rows, empty = [], []
    for line, cells in enumerate(lines[1:], start=2):

        def cell(index, cells=cells):
            return (
                " ".join(cells[index].split()) if index is not None and index < len(cells) else ""
            )

        if first is not None:
            first_name, last_name = cell(first), cell(last)
        else:
            first_name, _space, last_name = cell(full).rpartition(" ")
            if not first_name:
                first_name, last_name = last_name, ""
        if not first_name and not last_name:
            empty.append(line)
            continue
        if not first_name:
            first_name, last_name = last_name, ""
        if len(first_name) > max_length or len(last_name) > max_length:
            raise ValidationError(
                _("Line %(line)d: that name is longer than %(max)d characters.")
                % {"line": line, "max": max_length}
            )
        rows.append(RosterRow(line=line, first_name=first_name, last_name=last_name))
    return rows, empty


def username_base(*, first_name: str, last_name: str) -> str:
    """Lower-case ASCII first name and last initial: "Chloé Dubois" gives "chloed"."""

    def ascii_letters(text: str) -> str:
        text = unicodedata.normalize("NFKD", text.translate(USERNAME_TRANSLITERATION))
        return re.sub(r"[^a-z0-9]", "", text.encode("ascii", "ignore").decode().lower())

    base = ascii_letters(first_name)[:20] + ascii_letters(last_name)[:1]
    return base or "student"


def _username_unused(base: str, taken: set[str]) -> str:
    for digits in (2, 2, 2, 2, 3, 3, 3, 4, 4, 4):
        candidate = base + "".join(secrets.choice("23456789") for _ in range(digits))
        if candidate not in taken:
            return candidate
    raise ValidationError(_("No free username could be found just now. Try again."))


@transaction.atomic
def roster_import(*, classroom: Classroom, data: bytes) -> RosterImport:
    """Create and enrol an account for each new name in a class list; all or nothing.

    Names already in the class, or twice in the file, are skipped and reported. The
    passwords are returned once, for the login cards, and only their hashes are kept.
    """
    rows, empty = roster_csv_read(data=data)
    _classroom_lock(classroom)
    enrolled = _enrolled_names(classroom)
    seen: set[tuple[str, str]] = set()
    wanted, skipped = [], []
    for row in rows:
        if row.key in enrolled:
            skipped.append(RosterSkip(row.line, row.full_name, _("already in the class")))
        elif row.key in seen:
            skipped.append(RosterSkip(row.line, row.full_name, _("twice in the file")))
        else:
            seen.add(row.key)
            wanted.append(row)
    if not wanted and not skipped:
        raise ValidationError(_("The file has a header row but no names under it."))
    if len(wanted) > ROSTER_MAX_STUDENTS:
        raise ValidationError(
            _("The file has %(count)d new names; import at most %(max)d at a time.")
            % {"count": len(wanted), "max": ROSTER_MAX_STUDENTS}
        )
    user_model = get_user_model()
    bases = {username_base(first_name=r.first_name, last_name=r.last_name) for r in wanted}
    taken: set[str] = set()
    for base in bases:
        taken.update(
            name.lower()
            for name in user_model.objects.filter(username__istartswith=base).values_list(
                "username", flat=True
            )
        )
    named = []
    for row in wanted:
        username = _username_unused(
            username_base(first_name=row.first_name, last_name=row.last_name), taken
        )
        taken.add(username)
        named.append((row, username))
    created = _students_create(classroom=classroom, named=named)
    return RosterImport(created=created, skipped=skipped, empty_lines=empty)


def _classroom_lock(classroom: Classroom) -> None:
    # Imports into one class take turns from here to the commit, so the second sees the
    # students the first enrolled and skips them instead of making them a second account.
    # NO KEY: joining the class and creating its assignments (whose foreign keys take a key
    # share lock on this row) are not held up while the passwords are hashed.
    locked = Classroom.objects.select_for_update(no_key=True).filter(pk=classroom.pk)
    if not list(locked.values_list("pk", flat=True)):
        raise ValidationError(_("This class no longer exists."))


def _enrolled_names(classroom: Classroom) -> set[tuple[str, str]]:
    return {
        (first.casefold(), last.casefold())
        for first, last in Enrollment.objects.filter(classroom=classroom).values_list(
            "student__first_name", "student__last_name"
        )
    }


def _students_create(
    *, classroom: Classroom, named: list[tuple[RosterRow, str]]
) -> list[tuple[object, str]]:
    """Create an account for each (name, username) with a generated password and enrol it.

    The one way students are made from names: the class list and the roster's single form.
    """
    user_model = get_user_model()
    created = []
    for row, username in named:
        user = user_model(username=username, first_name=row.first_name, last_name=row.last_name)
        password = password_generate(user=user)
        user.set_password(password)
        user.full_clean(validate_unique=False)
        created.append((user, password))
    try:
        with transaction.atomic():
            # Sets each user's pk on PostgreSQL and on SQLite 3.35+.
            user_model.objects.bulk_create([user for user, _password in created])
    except IntegrityError:
        # Another import took one of the usernames a moment ago.
        raise ValidationError(_("Someone else was adding students just now. Try again.")) from None
    Enrollment.objects.bulk_create(
        Enrollment(classroom=classroom, student=user) for user, _password in created
    )
    return created


@transaction.atomic
def student_add(
    *, classroom: Classroom, first_name: str, last_name: str, username: str = ""
) -> tuple[object, str]:
    """Create one student's account and enrol it, as the class list does for each line.

    Returns the student and the password, to show once. Without a username one is made from
    the name. Raises ValidationError, keyed by the field it is about, and changes nothing.
    """
    first_name, last_name = " ".join(first_name.split()), " ".join(last_name.split())
    username = username.strip()
    errors = {}
    if not first_name:
        errors["first_name"] = _("Give the student's first name.")
    if not last_name:
        errors["last_name"] = _("Give the student's last name.")
    if errors:
        raise ValidationError(errors)
    row = RosterRow(line=1, first_name=first_name, last_name=last_name)
    _classroom_lock(classroom)
    if row.key in _enrolled_names(classroom):
        raise ValidationError(
            _(
                "%(name)s is already in this class. To add a second student of that name, "
                "add something to tell them apart, such as a middle initial."
            )
            % {"name": row.full_name}
        )
    user_model = get_user_model()
    if username:
        if user_model.objects.filter(username__iexact=username).exists():
            raise ValidationError(
                {
                    "username": _(
                        "The username “%(username)s” is taken. Choose another, or leave it "
                        "empty and one is made from the name."
                    )
                    % {"username": username}
                }
            )
    else:
        base = username_base(first_name=first_name, last_name=last_name)
        taken = {
            name.lower()
            for name in user_model.objects.filter(username__istartswith=base).values_list(
                "username", flat=True
            )
        }
        username = _username_unused(base, taken)
    # A username against the site's rules (length, characters) is refused here, by field.
    [created] = _students_create(classroom=classroom, named=[(row, username)])
    return created
