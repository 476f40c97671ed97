"""Studies: a class's pre-test, practice, post-test and retention test on two parallel forms,
each student in an order drawn at random; opening the tests and answering them."""

import random
import secrets
from collections import Counter
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from quiz.models import (
    Assignment,
    Classroom,
    Enrollment,
    Question,
    Quiz,
    QuizQuestion,
    SittingItem,
    Skill,
    Study,
    StudyParticipant,
    StudyPhase,
    StudyPractice,
    StudySitting,
)
from quiz.services.attempts import Answer, Refusal, Submission, stamp_once
from quiz.services.boosters import item_answer_record, set_item_locked

# The phase that must be open before each one.
PHASE_BEFORE = {Study.Phase.POST: Study.Phase.PRE, Study.Phase.RETENTION: Study.Phase.POST}


# Setting a study up


def quiz_item_mix(quiz: Quiz) -> Counter:
    """How many questions of each (kind, skill) the quiz asks."""
    return Counter(
        QuizQuestion.objects.filter(quiz=quiz).values_list("question__kind", "question__skill")
    )


def _mix_label(kind: str, skill: str) -> str:
    kind_label = Question.Kind(kind).label if kind in Question.Kind.values else kind
    skill_label = Skill(skill).label if skill in Skill.values else skill
    return _("%(kind)s on %(skill)s") % {"kind": kind_label, "skill": skill_label}


def forms_mix_differences(form_a: Quiz, form_b: Quiz) -> list[str]:
    """What differs between the two forms' mixes of question kinds and skills, in words
    (none when they are parallel)."""
    mix_a, mix_b = quiz_item_mix(form_a), quiz_item_mix(form_b)
    return [
        _("%(what)s: form A has %(a)d, form B has %(b)d")
        % {"what": _mix_label(*key), "a": mix_a[key], "b": mix_b[key]}
        for key in sorted(mix_a.keys() | mix_b.keys())
        if mix_a[key] != mix_b[key]
    ]


def _form_problems(quiz: Quiz, *, teacher, letter: str) -> list[str]:
    problems = []
    if quiz.owner_id != teacher.pk:
        problems.append(
            _("Form %(letter)s, “%(quiz)s”, is not one of your quizzes; make a copy of your own.")
            % {"letter": letter, "quiz": quiz}
        )
    if not quiz.published:
        problems.append(
            _("Form %(letter)s, “%(quiz)s”, is not published; publish it first.")
            % {"letter": letter, "quiz": quiz}
        )
    if not QuizQuestion.objects.filter(quiz=quiz).exists():
        problems.append(
            _("Form %(letter)s, “%(quiz)s”, has no questions.") % {"letter": letter, "quiz": quiz}
        )
    return problems


@transaction.atomic
def study_create(*, classroom: Classroom, teacher, title: str, form_a: Quiz, form_b: Quiz) -> Study:
    """Set up a study in a class the teacher teaches, on two parallel forms of their own.

    The forms are two different published quizzes the teacher owns (their own shared copies
    count), asking the same number of questions of each kind on each skill. Refusals are filed
    under the field they are about ("classroom", "form_a", "form_b").
    """
    errors: dict[str, list[str]] = {}
    if not classroom.teachers.filter(pk=teacher.pk).exists():
        errors["classroom"] = [_("You do not teach this class, so you cannot run a study in it.")]
    if form_a.pk == form_b.pk:
        errors["form_b"] = [
            _("Form B must be a different quiz from form A: a parallel test on other articles.")
        ]
    else:
        for field, quiz, letter in (("form_a", form_a, "A"), ("form_b", form_b, "B")):
            problems = _form_problems(quiz, teacher=teacher, letter=letter)
            if problems:
                errors[field] = problems
        if not errors.get("form_a") and not errors.get("form_b"):
            differences = forms_mix_differences(form_a, form_b)
            if differences:
                errors["form_b"] = [
                    _(
                        "The two forms must ask the same kinds of question on the same skills."
                        " %(differences)s."
                    )
                    % {"differences": "; ".join(differences)}
                ]
    if errors:
        raise ValidationError(errors)
    study = Study(classroom=classroom, title=title, form_a=form_a, form_b=form_b)
    study.full_clean()
    study.save()
    return study


@transaction.atomic
def study_practice_add(*, study: Study, assignment: Assignment) -> None:
    """Count an assignment of the study's class as its practice; adding it twice is once."""
    if assignment.classroom_id != study.classroom_id:
        raise ValidationError(
            _("Only an assignment of this study's class can be its practice."), code="assignment"
        )
    StudyPractice.objects.get_or_create(study=study, assignment=assignment)


# Participants and their orders


def _pseudonym_new(taken: set[str]) -> str:
    while True:
        pseudonym = secrets.token_hex(4)
        if pseudonym not in taken:
            taken.add(pseudonym)
            return pseudonym


def orders_draw(count: int, *, ab: int = 0, ba: int = 0, rng: random.Random) -> list[str]:
    """Orders for `count` newcomers, already shuffled, to a study with `ab` and `ba`
    participants in each order: each to the smaller group, a tie drawn at random, so the two
    groups never differ by more than one."""
    orders = []
    for _index in range(count):
        if ab == ba:
            order = rng.choice([Study.Order.AB, Study.Order.BA])
        else:
            order = Study.Order.AB if ab < ba else Study.Order.BA
        if order == Study.Order.AB:
            ab += 1
        else:
            ba += 1
        orders.append(str(order))
    return orders


def _study_lock(study: Study) -> None:
    # Participants and sittings are made one run at a time: a second run waits here, then
    # sees what the first made (the unique constraints would refuse a duplicate anyway).
    list(Study.objects.select_for_update().filter(pk=study.pk).values_list("pk", flat=True))


@transaction.atomic
def participants_ensure(*, study: Study, seed=None) -> list[StudyParticipant]:
    """Give every enrolled student without one a participant: an order drawn at random
    (`seed` for a repeatable draw) that keeps the two orders' groups within one of each other,
    and a random pseudonym unique in the study. Return the participants of the students
    enrolled now, oldest first."""
    _study_lock(study)
    existing = list(StudyParticipant.objects.filter(study=study).order_by())
    have = {participant.student_id for participant in existing}
    newcomers = sorted(
        student_id
        for student_id in Enrollment.objects.filter(classroom_id=study.classroom_id).values_list(
            "student_id", flat=True
        )
        if student_id not in have
    )
    # Seedable so a draw can be repeated; the split is no secret (the teacher sees it).
    rng = random.Random(seed) if seed is not None else random.SystemRandom()  # noqa: S311
    rng.shuffle(newcomers)
    counts = Counter(participant.order for participant in existing)
    orders = orders_draw(
        len(newcomers), ab=counts[Study.Order.AB], ba=counts[Study.Order.BA], rng=rng
    )
    taken = {participant.pseudonym for participant in existing}
    StudyParticipant.objects.bulk_create(
        StudyParticipant(
            study=study, student_id=student_id, order=order, pseudonym=_pseudonym_new(taken)
        )
        for student_id, order in zip(newcomers, orders, strict=True)
    )
    return list(
        StudyParticipant.objects.filter(
            study=study, student__enrollments__classroom_id=study.classroom_id
        ).order_by("pk")
    )


# Opening a test


@transaction.atomic
def phase_open(*, study: Study, phase: str, opens_at, due_at=None) -> StudyPhase:
    """Open one of the study's tests: each participant (made first for students who have none)
    gets a sitting on the form of their order, its items the form's questions in quiz order.

    Idempotent: a phase opened before keeps its times, and only students with no sitting yet
    get one (a student who joined since). The post-test needs the pre-test, the retention test
    the post-test.
    """
    if phase not in Study.Phase.values:
        raise ValidationError({"phase": [_("Choose the pre-test, post-test or retention test.")]})
    phase = Study.Phase(phase)
    if due_at is not None and due_at <= opens_at:
        raise ValidationError({"due_at": [_("The test must be due after it opens.")]})
    _study_lock(study)
    before = PHASE_BEFORE.get(phase)
    if before is not None and not StudyPhase.objects.filter(study=study, phase=before).exists():
        raise ValidationError(
            _("Open the %(before)s before the %(phase)s.")
            % {"before": before.label.lower(), "phase": phase.label.lower()},
            code="phase",
        )
    opened, _created = StudyPhase.objects.get_or_create(
        study=study, phase=phase, defaults={"opens_at": opens_at, "due_at": due_at}
    )
    participants = participants_ensure(study=study)
    seated = set(StudySitting.objects.filter(phase=opened).values_list("participant_id", flat=True))
    questions = {
        form: list(
            QuizQuestion.objects.filter(quiz=quiz)
            .order_by("position", "pk")
            .values_list("question_id", flat=True)
        )
        for form, quiz in ((Study.Form.A, study.form_a), (Study.Form.B, study.form_b))
    }
    sittings = StudySitting.objects.bulk_create(
        StudySitting(
            phase=opened,
            participant=participant,
            form=Study.form_letter(participant.order, phase),
        )
        for participant in participants
        if participant.pk not in seated
    )
    SittingItem.objects.bulk_create(
        SittingItem(sitting=sitting, question_id=question_id, position=position)
        for sitting in sittings
        for position, question_id in enumerate(questions[sitting.form], start=1)
    )
    return opened


# Answering a test


def _sitting_refusal(sitting: StudySitting, now) -> tuple[Refusal, str] | None:
    """Why no answer may be stored in the sitting now, if so."""
    if sitting.is_finished:
        return Refusal.FINISHED, _("You have handed this test in, so its answers cannot change.")
    phase = sitting.phase
    if phase.due_at is not None and phase.due_at <= now:
        return Refusal.CLOSED, _(
            "This test closed on %(when)s; answers are no longer accepted."
        ) % {"when": date_format(timezone.localtime(phase.due_at), "DATETIME_FORMAT")}
    if not phase.is_open(now):
        return Refusal.NOT_OPEN, _("This test is not open yet.")
    return None


@transaction.atomic
def sitting_answer(
    *, sitting_id: int, student, question_id: int, answer: Answer, now=None
) -> Submission:
    """Record and grade the student's answer to one question of their test, once.

    Told as a booster's answer is (`Submission`, the item standing as the response, with
    `question_ids` the sitting's questions in order). Only while the student is in the class,
    the test is open and the sitting not handed in; the same answer sent again returns the
    stored one, a different one is refused. The first answer starts the sitting (if
    `sitting_start` did not), the last one finishes it.
    """
    sittings = StudySitting.objects.select_related("phase").filter(
        participant__student=student,
        participant__study__classroom__enrollments__student=student,
    )
    sitting, item = set_item_locked(sittings, sitting_id, question_id)
    if item is None:
        return Submission(refusal=Refusal.NOT_FOUND)
    now = now or timezone.now()
    submission = item_answer_record(
        item=item, answer=answer, now=now, refused=_sitting_refusal(sitting, now)
    )
    question_ids = list(
        SittingItem.objects.filter(sitting=sitting)
        .order_by("position", "pk")
        .values_list("question_id", flat=True)
    )
    if submission.created:
        fields = []
        if sitting.started_at is None:
            sitting.started_at = now
            fields.append("started_at")
        if not sitting.items.filter(answered_at__isnull=True).exists():
            sitting.finished_at = now
            fields.append("finished_at")
        if fields:
            sitting.save(update_fields=fields)
    return replace(submission, question_ids=question_ids)


@transaction.atomic
def sitting_start(*, sitting: StudySitting, now=None) -> StudySitting:
    """Note when the student first opened the test (the research export times the first
    answer from it); later calls change nothing."""
    sitting.started_at = stamp_once(StudySitting, sitting.pk, "started_at", now)
    return sitting


@transaction.atomic
def sitting_finish(*, sitting: StudySitting, now=None) -> None:
    """Hand the test in, answered or not (unanswered questions count as wrong); twice is
    once. The row is locked as answering locks it, so no answer is stored after it."""
    row = (
        StudySitting.objects.select_for_update()
        .filter(pk=sitting.pk)
        .values("started_at", "finished_at")
        .first()
    )
    if row is None:
        return
    if row["finished_at"] is None:
        now = now or timezone.now()
        StudySitting.objects.filter(pk=sitting.pk).update(
            finished_at=now, started_at=row["started_at"] or now
        )
        row = {"started_at": row["started_at"] or now, "finished_at": now}
    sitting.started_at, sitting.finished_at = row["started_at"], row["finished_at"]
