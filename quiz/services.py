"""Writes for classes, attempts and answers. Each validates first and changes nothing on error."""

import csv
import io
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.roles import is_teacher
from quiz.grading import span_overlap
from quiz.models import (
    JOIN_CODE_ALPHABET,
    Assignment,
    Attempt,
    Choice,
    Classroom,
    Enrollment,
    Question,
    Quiz,
    QuizQuestion,
    Response,
    join_code_generate,
)
from quiz.selectors import quiz_question_ids


def join_code_normalise(code: str) -> str:
    """Upper-case a typed code and drop spaces and dashes people add when copying it."""
    return re.sub(r"[\s\-]+", "", code or "").upper()


def classroom_for_code(code: str) -> Classroom:
    """Return the open class with this join code, or explain why there is none."""
    code = join_code_normalise(code)
    if not code or any(ch not in JOIN_CODE_ALPHABET for ch in code) or len(code) > 8:
        raise ValidationError(
            _("That is not a class code. Codes are 6 to 8 letters and digits, like KM7QX4T."),
            code="invalid",
        )
    classroom = Classroom.objects.filter(join_code=code).first()
    if classroom is None:
        raise ValidationError(
            _("No class has the code %(code)s. Check it with your teacher.") % {"code": code},
            code="unknown",
        )
    if not classroom.join_open:
        raise ValidationError(
            _("The class “%(name)s” is not taking new students. Ask your teacher.")
            % {"name": classroom.name},
            code="closed",
        )
    return classroom


@transaction.atomic
def classroom_join(*, code: str, student) -> tuple[Enrollment, bool]:
    """Enrol a student in the class with this code; joining twice is harmless."""
    classroom = classroom_for_code(code)
    if is_teacher(student):
        raise ValidationError(
            _("Teachers are added to a class by its teachers, not with the join code."),
            code="teacher",
        )
    return Enrollment.objects.get_or_create(classroom=classroom, student=student)


@transaction.atomic
def student_signup_and_join(
    *, code: str, username: str, password: str, first_name: str = "", last_name: str = ""
):
    """Create a student account and enrol it, or neither."""
    classroom = classroom_for_code(code)
    user = get_user_model()(username=username, first_name=first_name, last_name=last_name)
    user.set_password(password)
    user.full_clean()
    user.save()
    Enrollment.objects.create(classroom=classroom, student=user)
    return user, classroom


def _quiz_max_score(assignment: Assignment) -> int:
    total = QuizQuestion.objects.filter(quiz_id=assignment.quiz_id).aggregate(
        total=Sum("question__points")
    )["total"]
    return total or 0


@transaction.atomic
def attempt_start(*, assignment: Assignment, student, now=None) -> Attempt:
    """Resume the student's unfinished attempt, or start the next one if any are left."""
    now = now or timezone.now()
    attempts = list(
        Attempt.objects.filter(assignment=assignment, student=student).order_by("number")
    )
    unfinished = [a for a in attempts if a.submitted_at is None]
    if unfinished:
        return unfinished[-1]
    if not assignment.is_open(now):
        raise ValidationError(_("This assignment is not open, so it cannot be started."))
    if len(attempts) >= assignment.attempts_allowed:
        raise ValidationError(
            _("You have used all %(count)d of your attempts at this assignment.")
            % {"count": assignment.attempts_allowed}
        )
    attempt = Attempt(
        assignment=assignment,
        student=student,
        number=len(attempts) + 1,
        started_at=now,
        max_score=_quiz_max_score(assignment),
    )
    attempt.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:
        # A second click raced this one and started the same attempt: use that one.
        return Attempt.objects.get(assignment=assignment, student=student, number=attempt.number)
    return attempt


@transaction.atomic
def attempt_finish(*, attempt: Attempt, now=None) -> Attempt:
    """Hand the attempt in; finishing twice changes nothing.

    The attempt row is locked first, as answering locks it: an answer being stored is
    stored before the hand-in, and any answer after it is refused.
    """
    submitted_at = (
        Attempt.objects.select_for_update()
        .filter(pk=attempt.pk)
        .values_list("submitted_at", flat=True)
        .first()
    )
    if submitted_at is None:
        submitted_at = now or timezone.now()
        Attempt.objects.filter(pk=attempt.pk).update(submitted_at=submitted_at)
    attempt.submitted_at = submitted_at
    return attempt


@dataclass(frozen=True)
class Answer:
    """What a student sent: a choice, or a selected span of the article."""

    choice_id: int | None = None
    start: int | None = None
    end: int | None = None
    unreadable: bool = False  # something was sent, but not a number where one belongs

    def matches(self, response: Response) -> bool:
        if self.choice_id is not None:
            return response.choice_id == self.choice_id
        return (response.selected_start, response.selected_end) == (self.start, self.end)


class Refusal(StrEnum):
    """Why an answer was not recorded."""

    NOT_FOUND = "not_found"  # not the student's attempt, or the question is not in its quiz
    FINISHED = "finished"  # the attempt is handed in
    CLOSED = "closed"  # the assignment closed or is past due
    NOT_OPEN = "not_open"  # the assignment has not opened yet
    ALREADY_ANSWERED = "already_answered"  # another answer to the question stands
    UNREADABLE = "unreadable"  # what was sent is not an answer
    NO_ANSWER = "no_answer"  # nothing picked or selected
    BAD_CHOICE = "bad_choice"  # not one of the question's choices
    BAD_SPAN = "bad_span"  # a selection outside the article


@dataclass(frozen=True)
class Submission:
    """What came of an answer, with what the question card shows next.

    `refusal` is None when the answer stands: just recorded (`created`), or the same answer
    sent again. Otherwise nothing was written and `message` says why; with NOT_FOUND there is
    nothing the student may be shown.
    """

    refusal: Refusal | None = None
    message: str = ""
    attempt: Attempt | None = None  # with its assignment and quiz
    question: Question | None = None  # with its article
    choices: list[Choice] = field(default_factory=list)  # the question's, in order
    question_ids: list[int] = field(default_factory=list)  # the quiz's, in order
    response: Response | None = None  # the answer that stands, new or earlier
    created: bool = False


def _answer_refusal_for_attempt(attempt: Attempt, now) -> tuple[Refusal, str] | None:
    if attempt.is_finished:
        return Refusal.FINISHED, _("This attempt is finished, so its answers can no longer change.")
    assignment = attempt.assignment
    if assignment.is_closed(now):
        due = assignment.closed_at or assignment.due_at
        return Refusal.CLOSED, _(
            "This assignment closed on %(when)s; answers are no longer accepted."
        ) % {"when": date_format(timezone.localtime(due), "DATETIME_FORMAT")}
    if not assignment.is_open(now):
        return Refusal.NOT_OPEN, _("This assignment is not open yet.")
    return None


def answer_grade(
    *, question: Question, answer: Answer, choices: list[Choice]
) -> tuple[Choice | None, bool]:
    """Grade an answer to the question: the choice picked (if any) and whether it is right.

    `question` comes with its article; `choices` are the question's. Raises ValidationError
    (code: a Refusal) for an answer that cannot be graded.
    """
    if answer.unreadable:
        raise ValidationError(
            _("That answer could not be read. Pick an answer and try again."), Refusal.UNREADABLE
        )
    if question.is_evidence and answer.choice_id is None:
        if answer.start is None or answer.end is None:
            raise ValidationError(_("Select some words in the article first."), Refusal.NO_ANSWER)
        body = question.article.body if question.article_id else ""
        if not (0 <= answer.start < answer.end <= len(body)):
            raise ValidationError(
                _("That selection is not inside the article. Select the words again."),
                Refusal.BAD_SPAN,
            )
        overlap = span_overlap(
            body,
            selected=(answer.start, answer.end),
            answer=(question.answer_start, question.answer_end),
        )
        return None, overlap.is_correct
    if answer.choice_id is None:
        raise ValidationError(_("Pick one of the answers first."), Refusal.NO_ANSWER)
    choice = next((c for c in choices if c.pk == answer.choice_id), None)
    if choice is None:
        raise ValidationError(_("That is not one of this question's answers."), Refusal.BAD_CHOICE)
    return choice, choice.is_correct


@transaction.atomic
def response_submit(
    *, attempt_id: int, student, question_id: int, answer: Answer, now=None
) -> Submission:
    """Record and grade a student's answer once; the only way an answer is stored.

    The attempt row is locked for the transaction, so answers to one attempt and handing it
    in happen one after the other. The same answer sent again (a double click, the back
    button, a replayed post) returns the stored response; a different one is refused.
    """
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("assignment__quiz")
        .filter(pk=attempt_id, student=student)
        .first()
    )
    if attempt is None:
        return Submission(Refusal.NOT_FOUND)
    now = now or timezone.now()  # once the attempt is ours: a hand-in is before or after it
    question = (
        Question.objects.select_related("article")
        .filter(pk=question_id, quiz_items__quiz_id=attempt.assignment.quiz_id)
        .first()
    )
    if question is None:
        return Submission(Refusal.NOT_FOUND)
    shown = {
        "attempt": attempt,
        "question": question,
        # Ordered explicitly: Choice's default ordering joins its question for nothing.
        "choices": list(question.choices.order_by("position", "pk")),
        "question_ids": quiz_question_ids(quiz_id=attempt.assignment.quiz_id),
    }
    refused = _answer_refusal_for_attempt(attempt, now)
    if refused:
        return Submission(*refused, **shown)
    try:
        choice, is_correct = answer_grade(
            question=question, answer=answer, choices=shown["choices"]
        )
    except ValidationError as error:
        return Submission(Refusal(error.code), " ".join(error.messages), **shown)
    existing = Response.objects.filter(attempt=attempt, question=question).first()
    if existing is not None:
        if answer.matches(existing):
            return Submission(response=existing, **shown)
        return Submission(
            Refusal.ALREADY_ANSWERED,
            _("You have already answered this question; your first answer stands."),
            response=existing,
            **shown,
        )
    points = question.points_for(is_correct)
    response = Response.objects.create(
        attempt=attempt,
        question=question,
        choice=choice,
        selected_start=answer.start if choice is None else None,
        selected_end=answer.end if choice is None else None,
        is_correct=is_correct,
        points=points,
        answered_at=now,
    )
    added = Attempt.totals_added(points=points, is_correct=is_correct, skill=question.skill)
    Attempt.objects.filter(pk=attempt.pk).update(**added)
    attempt.answered += 1
    return Submission(response=response, created=True, **shown)


# Teachers: classes, join codes, rosters and assignments


def _classroom_name_clean(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Give the class a name, like “7B News literacy”."), code="name")
    if len(name) > Classroom._meta.get_field("name").max_length:
        raise ValidationError(_("That name is too long: keep it under 120 characters."))
    return name


def _score_policy_clean(score_policy: str) -> str:
    if score_policy not in Classroom.ScorePolicy.values:
        raise ValidationError(_("Choose whether the gradebook shows the best or latest attempt."))
    return score_policy


@transaction.atomic
def classroom_create(
    *, name: str, teacher, score_policy: str = Classroom.ScorePolicy.BEST
) -> Classroom:
    """Create a class taught by the teacher, open for joining with a fresh code."""
    if not is_teacher(teacher):
        raise ValidationError(_("Only teachers can create classes."))
    classroom = Classroom(
        name=_classroom_name_clean(name),
        score_policy=_score_policy_clean(score_policy),
        join_code=_join_code_unused(),
    )
    classroom.full_clean()
    classroom.save()
    classroom.teachers.add(teacher)
    return classroom


@transaction.atomic
def classroom_update(*, classroom: Classroom, name: str, score_policy: str) -> Classroom:
    """Rename the class and set which attempt the gradebook shows."""
    classroom.name = _classroom_name_clean(name)
    classroom.score_policy = _score_policy_clean(score_policy)
    classroom.full_clean()
    classroom.save(update_fields=["name", "score_policy"])
    return classroom


def _join_code_unused() -> str:
    for _attempt in range(10):
        code = join_code_generate()
        if not Classroom.objects.filter(join_code=code).exists():
            return code
    raise ValidationError(_("No free class code could be found just now. Try again."))


@transaction.atomic
def join_code_regenerate(*, classroom: Classroom) -> Classroom:
    """Give the class a new join code; the old one stops working at once."""
    classroom.join_code = _join_code_unused()
    classroom.full_clean()
    classroom.save(update_fields=["join_code"])
    return classroom


@transaction.atomic
def join_code_close(*, classroom: Classroom) -> Classroom:
    """Stop new students joining with the code; students already in the class stay."""
    classroom.join_open = False
    classroom.save(update_fields=["join_open"])
    return classroom


@transaction.atomic
def join_code_open(*, classroom: Classroom) -> Classroom:
    """Let students join with the code again."""
    classroom.join_open = True
    classroom.save(update_fields=["join_open"])
    return classroom


@transaction.atomic
def enrollment_remove(*, classroom: Classroom, student) -> None:
    """Take a student out of the class; their account and attempts are kept."""
    deleted, _details = Enrollment.objects.filter(classroom=classroom, student=student).delete()
    if not deleted:
        raise ValidationError(
            _("%(name)s is not in this class.") % {"name": _display_name(student)}
        )


def _display_name(user) -> str:
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
        raise ValidationError(
            _("%(name)s is not in this class.") % {"name": _display_name(student)}
        )
    if student.is_staff or student.is_superuser:
        raise ValidationError(
            _("%(name)s has a staff account; its password is changed in the admin, not here.")
            % {"name": _display_name(student)}
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
    enrolled = {
        (first.casefold(), last.casefold())
        for first, last in Enrollment.objects.filter(classroom=classroom).values_list(
            "student__first_name", "student__last_name"
        )
    }
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
    created = []
    for row in wanted:
        username = _username_unused(
            username_base(first_name=row.first_name, last_name=row.last_name), taken
        )
        taken.add(username)
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
    return RosterImport(created=created, skipped=skipped, empty_lines=empty)


# Assignments


def _assignment_quiz_clean(*, teacher, quiz: Quiz) -> None:
    if not quiz.published:
        raise ValidationError(
            _("“%(title)s” is not published yet. Publish it in the authoring area first.")
            % {"title": quiz.title},
            code="quiz",
        )
    if not Quiz.objects.owned_by(teacher).filter(pk=quiz.pk).exists():
        raise ValidationError(_("You can only assign quizzes you wrote."), code="quiz")


def _assignment_times_clean(*, opens_at, due_at, attempts_allowed: int, reveal: str) -> None:
    if opens_at is None:
        raise ValidationError(_("Say when the assignment opens."), code="opens_at")
    if due_at is not None and due_at <= opens_at:
        raise ValidationError(_("The due time must be after the opening time."), code="due_at")
    if not 1 <= attempts_allowed <= ASSIGNMENT_MAX_ATTEMPTS:
        raise ValidationError(
            _("Allow between 1 and %(max)d attempts.") % {"max": ASSIGNMENT_MAX_ATTEMPTS},
            code="attempts_allowed",
        )
    if reveal not in Assignment.Reveal.values:
        raise ValidationError(_("Choose when the answers are shown."), code="reveal")
    if reveal == Assignment.Reveal.AFTER_DUE and due_at is None:
        raise ValidationError(
            _("Answers shown after the due date need a due date. Set one, or choose another."),
            code="due_at",
        )


ASSIGNMENT_MAX_ATTEMPTS = 20


@transaction.atomic
def assignment_create(
    *,
    classroom: Classroom,
    teacher,
    quiz: Quiz,
    opens_at,
    due_at=None,
    attempts_allowed: int = 1,
    reveal: str = Assignment.Reveal.AFTER_EACH,
) -> Assignment:
    """Give one of the teacher's published quizzes to a class."""
    _assignment_quiz_clean(teacher=teacher, quiz=quiz)
    _assignment_times_clean(
        opens_at=opens_at, due_at=due_at, attempts_allowed=attempts_allowed, reveal=reveal
    )
    assignment = Assignment(
        classroom=classroom,
        quiz=quiz,
        opens_at=opens_at,
        due_at=due_at,
        attempts_allowed=attempts_allowed,
        reveal=reveal,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def assignment_update(
    *,
    assignment: Assignment,
    teacher,
    quiz: Quiz,
    opens_at,
    due_at=None,
    attempts_allowed: int = 1,
    reveal: str = Assignment.Reveal.AFTER_EACH,
) -> Assignment:
    """Change an assignment's quiz (until someone starts it), times, attempts and reveal."""
    if quiz.pk != assignment.quiz_id:
        if assignment.attempts.exists():
            raise ValidationError(
                _(
                    "Students have started this assignment, so its quiz cannot change. "
                    "Close it and assign the other quiz instead."
                ),
                code="quiz",
            )
        # Keeping the quiz needs no check: it may since have been unpublished, or be a
        # colleague's in a class taught together.
        _assignment_quiz_clean(teacher=teacher, quiz=quiz)
    _assignment_times_clean(
        opens_at=opens_at, due_at=due_at, attempts_allowed=attempts_allowed, reveal=reveal
    )
    assignment.quiz = quiz
    assignment.opens_at = opens_at
    assignment.due_at = due_at
    assignment.attempts_allowed = attempts_allowed
    assignment.reveal = reveal
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def assignment_close(*, assignment: Assignment, now=None) -> Assignment:
    """Close the assignment now: no new answers; unfinished attempts count as handed in."""
    now = now or timezone.now()
    if assignment.is_closed(now):
        raise ValidationError(_("This assignment is already closed."), code="closed")
    assignment.closed_at = now
    assignment.save(update_fields=["closed_at"])
    return assignment


@transaction.atomic
def assignment_reopen(*, assignment: Assignment, due_at=None, now=None) -> Assignment:
    """Open a closed assignment again, with a new due time when the old one has passed."""
    now = now or timezone.now()
    past_due = assignment.due_at is not None and assignment.due_at <= now
    if not assignment.is_closed(now):
        raise ValidationError(_("This assignment is open already."), code="open")
    if due_at is None and past_due:
        raise ValidationError(
            _("The due time has passed: set a new due time to reopen the assignment."),
            code="due_at",
        )
    if due_at is not None and due_at <= max(now, assignment.opens_at):
        raise ValidationError(
            _("The new due time must be in the future and after the opening time."),
            code="due_at",
        )
    assignment.closed_at = None
    if due_at is not None:
        assignment.due_at = due_at
    assignment.full_clean()
    assignment.save(update_fields=["closed_at", "due_at"])
    return assignment


# Privacy: a student's data, to download and to delete


def student_data_export(*, student, classrooms=None) -> dict:
    """Return the student's account, classes, attempts and answers as JSON-ready data.

    `classrooms` (a queryset) limits the classes and attempts to those, for a teacher's copy;
    None gives everything, for the student themselves or an administrator.
    """
    from django.db.models import Prefetch
    from django.db.models.functions import Substr

    enrollments = Enrollment.objects.filter(student=student).select_related("classroom")
    attempts = Attempt.objects.filter(student=student).select_related(
        "assignment__quiz", "assignment__classroom"
    )
    if classrooms is not None:
        enrollments = enrollments.filter(classroom__in=classrooms)
        attempts = attempts.filter(assignment__classroom__in=classrooms)
    responses = Response.objects.select_related("question", "choice").annotate(
        # The selected words are cut out in SQL, so no article body travels for them.
        selected_text=Substr(
            "question__article__body",
            F("selected_start") + 1,
            F("selected_end") - F("selected_start"),
        )
    )
    attempts = attempts.prefetch_related(
        Prefetch("responses", queryset=responses.order_by("answered_at", "pk"))
    ).order_by("started_at", "pk")
    return {
        "format": "sourcewise-student-data-1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": student.get_username(),
            "first_name": student.first_name,
            "last_name": student.last_name,
            "email": student.email,
            "date_joined": student.date_joined.isoformat(),
            "last_login": student.last_login.isoformat() if student.last_login else None,
        },
        "classes": [
            {"name": e.classroom.name, "joined_at": e.joined_at.isoformat()}
            for e in enrollments.order_by("joined_at", "pk")
        ],
        "attempts": [_attempt_export(attempt) for attempt in attempts],
    }


def _attempt_export(attempt: Attempt) -> dict:
    return {
        "quiz": attempt.assignment.quiz.title,
        "class": attempt.assignment.classroom.name,
        "attempt": attempt.number,
        "started_at": attempt.started_at.isoformat(),
        "submitted_at": attempt.submitted_at.isoformat() if attempt.submitted_at else None,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "responses": [
            {
                "question": response.question.prompt,
                "statement": response.question.statement,
                "answer": response.choice.text
                if response.choice_id
                else (response.selected_text or ""),
                "selected": None
                if response.choice_id
                else {"start": response.selected_start, "end": response.selected_end},
                "correct": response.is_correct,
                "points": response.points,
                "answered_at": response.answered_at.isoformat(),
            }
            for response in attempt.responses.all()
        ],
    }


@dataclass(frozen=True)
class StudentDataCounts:
    """How much is stored about a student: what deleting them removes."""

    classes: int
    attempts: int
    responses: int


def student_data_counts(*, student) -> StudentDataCounts:
    """Count the classes, attempts and answers stored for a student."""
    return StudentDataCounts(
        classes=Enrollment.objects.filter(student=student).count(),
        attempts=Attempt.objects.filter(student=student).count(),
        responses=Response.objects.filter(attempt__student=student).count(),
    )


def student_delete_check(*, classroom: Classroom, student, by) -> None:
    """Raise ValidationError, saying why, unless `by` may delete the student's account.

    A teacher may delete a student of their class only when everything stored about the
    student belongs to classes that teacher teaches: every class the student is in and every
    attempt they made. Deleting the account removes all of it, so any other teacher's
    gradebook, item analysis and records would otherwise change under them; in that case the
    teacher removes the student from their own class, and an administrator (who may delete
    any student) decides. Staff accounts are never deleted here.
    """
    name = _display_name(student)
    if not Enrollment.objects.filter(classroom=classroom, student=student).exists():
        raise ValidationError(_("%(name)s is not in this class.") % {"name": name})
    if student.is_staff or student.is_superuser:
        raise ValidationError(
            _("%(name)s has a staff account; it is managed in the admin, not here.")
            % {"name": name}
        )
    if by.is_superuser:
        return
    taught = Classroom.objects.filter(teachers=by)
    if not taught.filter(pk=classroom.pk).exists():
        raise ValidationError(_("You do not teach this class."))
    elsewhere = (
        Enrollment.objects.filter(student=student).exclude(classroom__in=taught).exists()
        or Attempt.objects.filter(student=student)
        .exclude(assignment__classroom__in=taught)
        .exists()
    )
    if elsewhere:
        raise ValidationError(
            _(
                "%(name)s also has work in another teacher's class, and deleting the account "
                "would remove it from that teacher's gradebook. Remove %(name)s from your class "
                "instead, or ask an administrator to delete the account."
            )
            % {"name": name}
        )


@transaction.atomic
def student_data_delete(*, classroom: Classroom, student, by) -> StudentDataCounts:
    """Delete a student's account with every enrolment, attempt and answer; all or nothing."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    # Locked, so the student cannot join another class between the check and the delete.
    locked = get_user_model().objects.select_for_update().filter(pk=student.pk).first()
    if locked is None:
        raise ValidationError(
            _("%(name)s's account has already been deleted.") % {"name": _display_name(student)}
        )
    student_delete_check(classroom=classroom, student=locked, by=by)
    counts = student_data_counts(student=locked)
    username = locked.get_username()
    # Enrolments and attempts cascade from the account, and responses from the attempts.
    locked.delete()
    # The login records name the account too.
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()
    return counts
