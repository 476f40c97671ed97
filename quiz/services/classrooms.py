"""Classes and their join codes: creating, renaming, joining."""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.roles import is_teacher
from quiz.models import (
    JOIN_CODE_ALPHABET,
    Classroom,
    Enrollment,
    join_code_generate,
)


def join_code_normalise(code: str) -> str:
    """Upper-case a typed code and drop spaces and dashes people add when copying it."""
    return re.sub(r"[\s\-]+", "", code or "").upper()


def classroom_for_code(code: str) -> Classroom:
    """Return the class open for joining with this code, or say there is none."""
    code = join_code_normalise(code)
    if not code or any(ch not in JOIN_CODE_ALPHABET for ch in code) or len(code) > 8:
        raise ValidationError(
            _("That is not a class code. Codes are 6 to 8 letters and digits, like KM7QX4TC."),
            code="invalid",
        )
    # A closed class's code is answered like a code no class has: the answer confirms no guess
    # and names no class to someone who may not join it.
    classroom = Classroom.objects.filter(join_code=code, join_open=True).first()
    if classroom is None:
        raise ValidationError(
            _(
                "No class has the code %(code)s, or that class is not taking new students. "
                "Check the code with your teacher."
            )
            % {"code": code},
            code="unknown",
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
    """Create a student account and enrol it, or neither.

    The code is checked first, so whether a username is taken is only ever told to someone
    with a valid code. Taken means taken whatever the case, teachers' names too: the database's
    unique index on lower(username) decides (accounts/migrations), so two sign-ups racing for
    "racer-y" and "Racer-Y" cannot both win.
    """
    classroom = classroom_for_code(code)
    user = get_user_model()(username=username, first_name=first_name, last_name=last_name)
    user.set_password(password)
    user.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ValidationError(
            _("That username is taken. Try another."), code="username_taken"
        ) from error
    Enrollment.objects.create(classroom=classroom, student=user)
    return user, classroom


# Teachers: classes, join codes, rosters and assignments


def _classroom_name_clean(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Give the class a name, like “7B News literacy”."), code="name")
    if len(name) > Classroom._meta.get_field("name").max_length:
        raise ValidationError(_("That name is too long: keep it under 120 characters."))
    return name


def _not_handed_in_clean(not_handed_in: str) -> str:
    if not_handed_in not in Classroom.NotHandedIn.values:
        raise ValidationError(
            _("Choose whether work not handed in is left out of the averages or counts as 0.")
        )
    return not_handed_in


def _score_policy_clean(score_policy: str) -> str:
    if score_policy not in Classroom.ScorePolicy.values:
        raise ValidationError(_("Choose whether the gradebook shows the best or latest attempt."))
    return score_policy


@transaction.atomic
def classroom_create(
    *,
    name: str,
    teacher,
    score_policy: str = Classroom.ScorePolicy.BEST,
    not_handed_in: str = Classroom.NotHandedIn.LEAVE_OUT,
) -> Classroom:
    """Create a class taught by the teacher, open for joining with a fresh code."""
    if not is_teacher(teacher):
        raise ValidationError(_("Only teachers can create classes."))
    classroom = Classroom(
        name=_classroom_name_clean(name),
        score_policy=_score_policy_clean(score_policy),
        not_handed_in=_not_handed_in_clean(not_handed_in or Classroom.NotHandedIn.LEAVE_OUT),
        join_code=_join_code_unused(),
    )
    classroom.full_clean()
    classroom.save()
    classroom.teachers.add(teacher)
    return classroom


@transaction.atomic
def classroom_update(
    *, classroom: Classroom, name: str, score_policy: str, not_handed_in: str = ""
) -> Classroom:
    """Rename the class and set how its gradebook counts (`not_handed_in` empty: unchanged)."""
    classroom.name = _classroom_name_clean(name)
    classroom.score_policy = _score_policy_clean(score_policy)
    if not_handed_in:
        classroom.not_handed_in = _not_handed_in_clean(not_handed_in)
    classroom.full_clean()
    classroom.save(update_fields=["name", "score_policy", "not_handed_in"])
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
