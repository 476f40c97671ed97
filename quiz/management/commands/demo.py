"""Create (or bring up to date) the demo classroom, so `make run` opens on a working class."""

import hashlib
import os
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.roles import DEMO_TEACHER, teachers_group_ensure
from articles.demo_content import demo_articles_ensure
from articles.demo_content.practice_forms import PARALLEL_FORMS
from articles.demo_content.proposals import demo_draft_ensure, demo_proposals_ensure
from articles.models import Annotation
from quiz.models import (
    Assignment,
    Attempt,
    Choice,
    Classroom,
    Enrollment,
    Extension,
    Question,
    Quiz,
    QuizQuestion,
    Response,
    Skill,
    Study,
)
from quiz.services.assignments import extension_grant
from quiz.services.attempts import Answer
from quiz.services.authoring import attempt_totals_recount, quiz_article_questions_add
from quiz.services.boosters import booster_answer, boosters_create_due
from quiz.services.generation import questions_generate
from quiz.services.studies import (
    participants_ensure,
    phase_open,
    sitting_answer,
    sitting_finish,
    study_create,
    study_practice_add,
)

DEMO_STUDENTS = [f"demo-student-{n}" for n in range(1, 4)]
DEMO_CLASS = "Demo class"
DEMO_QUIZ = "Who said it? Putin and the Trump contacts"
# The demo quiz: which generated question to ask about which statement, in reading order.
# Quotes are matched by their opening words so the list reads like the article. No question
# may give away a later one's answer: a statement is asked who said it once (attribution or
# evidence, never both, as either answers the other) and before any other question on it,
# and its classification question, which carries the teacher's whole explanation, comes last.
DEMO_QUIZ_PLAN = [
    ("Russian President Vladimir Putin has denied", Question.Kind.CLASSIFICATION),
    ("he has maintained contact with", Question.Kind.SOURCING),
    ("Last week, a book by American journalist", Question.Kind.CLASSIFICATION),
    ("Trump had secretly spoken to Putin", Question.Kind.EVIDENCE),
    ("NBC journalist Keir Simmons asked Putin", Question.Kind.ATTRIBUTION),
    ("However, after an investigation", Question.Kind.ATTRIBUTION),
    ("There were no contacts back then", Question.Kind.CLASSIFICATION),
    ("interfering in the vote", Question.Kind.SOURCING),
    ("did not establish that members of the Trump campaign", Question.Kind.ATTRIBUTION),
    ("the collusion allegations were used", Question.Kind.CLASSIFICATION),
    ("the fake news picked it up", Question.Kind.CLASSIFICATION),
    ("it will work with whichever leader", Question.Kind.EVIDENCE),
    ("it will work with whichever leader", Question.Kind.SOURCING),
    ("If not, so be it", Question.Kind.CLASSIFICATION),
]
CUE_QUESTION = {
    "prompt": (
        "Putin’s words are introduced with “the Russian president pointed out”. Which cue "
        "would have reported them without taking a side?"
    ),
    "explanation": (
        "“Said” is neutral: it only tells you someone spoke. “Pointed out” suggests the "
        "speaker is stating something true, so the reporter is quietly agreeing with Putin."
    ),
    "choices": [
        ("said", True, "Yes: “said” reports the words without judging them."),
        ("pointed out", False, "“Pointed out” presents the claim as an obvious truth."),
        ("admitted", False, "“Admitted” suggests he confessed something against himself."),
        ("revealed", False, "“Revealed” suggests the words uncover a hidden truth."),
    ],
}


def demo_password(username: str) -> str:
    """Return the demo password for a user: DEMO_PASSWORD, or one derived from SECRET_KEY.

    Deriving it (rather than drawing a fresh random one) keeps `demo` idempotent: a second
    run prints the same, still-working passwords and changes no row.
    """
    if os.environ.get("DEMO_PASSWORD"):
        return os.environ["DEMO_PASSWORD"]
    digest = salted_hmac("sourcewise.demo-password", username).digest()
    # No letters or digits that read alike on a projector (l/1, o/0, i/j).
    alphabet = "abcdefghkmnpqrstuvwxyz23456789"
    token = "".join(alphabet[byte % len(alphabet)] for byte in digest[:12])
    return "-".join(token[i : i + 4] for i in range(0, 12, 4))


def user_ensure(*, username: str, first_name: str, last_name: str, staff: bool = False):
    """Create the user if missing and make its name, role and password what the demo says."""
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=username)
    changed = False
    for field, value in {
        "first_name": first_name,
        "last_name": last_name,
        "is_staff": staff,
        "is_active": True,
    }.items():
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed = True
    password = demo_password(username)
    if not user.check_password(password):
        user.set_password(password)
        changed = True
    if changed:
        user.save()
    return user, password


class Command(BaseCommand):
    help = "Create the demo teacher, students and classroom. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (creates accounts with known passwords).",
        )
        parser.add_argument(
            "--url",
            default=os.environ.get("DEMO_URL", "http://127.0.0.1:8000/"),
            help="The address printed for logging in.",
        )

    def handle(self, *args, force: bool, url: str, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like a production site: the demo creates "
                "accounts with known passwords. Run with --force if you really mean it."
            )
        logins = self.build()
        self.stdout.write(self.style.SUCCESS("Demo ready."))
        self.stdout.write(
            f"Class “{self.classroom.name}”, join code {self.classroom.join_code} "
            f"(new students sign up at {url.rstrip('/')}/join/)."
        )
        self.stdout.write(f"Open {url} and log in as:")
        width = max(len(username) for username, _password, _role in logins)
        for username, password, role in logins:
            self.stdout.write(f"  {username.ljust(width)}  password: {password}  ({role})")

    @transaction.atomic
    def build(self) -> list[tuple[str, str, str]]:
        teachers = teachers_group_ensure()
        teacher, teacher_password = user_ensure(
            username=DEMO_TEACHER, first_name="Dana", last_name="Reyes", staff=True
        )
        if not teacher.groups.filter(pk=teachers.pk).exists():
            teacher.groups.add(teachers)
        logins = [(DEMO_TEACHER, teacher_password, "teacher")]
        first_names = ["Amara", "Ben", "Chloé"]
        students = []
        for username, first_name in zip(DEMO_STUDENTS, first_names, strict=True):
            student, password = user_ensure(
                username=username, first_name=first_name, last_name="Demo"
            )
            students.append(student)
            logins.append((username, password, "student"))
        articles = demo_articles_ensure(owner=teacher)
        demo_proposals_ensure(articles=articles)
        demo_draft_ensure(articles=articles, owner=teacher)
        for article in articles:
            questions_generate(article=article, owner=teacher)
        quiz = demo_quiz_ensure(article=articles[0], owner=teacher)
        classroom = demo_classroom_ensure(teacher=teacher, students=students)
        assignment = Assignment.objects.filter(classroom=classroom, quiz=quiz).first()
        if assignment is None:
            now = timezone.now()
            # Opened a day ago, so the demo class's finished attempts sit in the past.
            assignment = Assignment.objects.create(
                classroom=classroom,
                quiz=quiz,
                opens_at=now - timedelta(days=1),
                due_at=now + timedelta(days=7),
                attempts_allowed=2,
                reveal=Assignment.Reveal.AFTER_EACH,
            )
        demo_class_attempts_ensure(assignment=assignment)
        demo_practice_ensure(classroom=classroom, teacher=teacher, articles=articles)
        demo_study_ensure(classroom=classroom, teacher=teacher, articles=articles)
        # A classmate the teacher gave two more days and another attempt: the extension shows
        # on the gradebook's student page and on the assignment's.
        if not Extension.objects.filter(assignment=assignment).exists():
            extension_grant(
                assignment=assignment,
                student=classroom.students.get(username="demo-class-liam"),
                due_at=assignment.due_at + timedelta(days=2) if assignment.due_at else None,
                extra_attempts=1,
            )
        self.classroom = classroom
        return logins


def demo_quiz_ensure(*, article, owner) -> Quiz:
    """Build the demo quiz from the generated questions, once."""
    quiz, created = Quiz.objects.get_or_create(
        title=DEMO_QUIZ,
        owner=owner,
        defaults={
            "description": (
                "Read the article about Putin’s news conference and work out, statement by "
                "statement, who is speaking, what kind of statement it is and what backs it up."
            ),
            "published": True,
        },
    )
    if not created and quiz.items.exists():
        return quiz
    questions = list(Question.objects.filter(article=article, annotation__isnull=False))
    chosen = []
    for opening, kind in DEMO_QUIZ_PLAN:
        match = next(
            (
                q
                for q in questions
                if q.kind == kind and q.statement.startswith(opening) and q not in chosen
            ),
            None,
        )
        if match is None:
            raise CommandError(f"The demo quiz needs a {kind} question on “{opening}…”.")
        chosen.append(match)
    cue_question = Question.objects.filter(
        article=article, kind=Question.Kind.MULTIPLE_CHOICE, prompt=CUE_QUESTION["prompt"]
    ).first()
    if cue_question is None:
        cue_question = Question.objects.create(
            kind=Question.Kind.MULTIPLE_CHOICE,
            skill=Skill.ATTRIBUTION,
            prompt=CUE_QUESTION["prompt"],
            explanation=CUE_QUESTION["explanation"],
            article=article,
            owner=owner,
        )
        Choice.objects.bulk_create(
            Choice(
                question=cue_question,
                text=text,
                is_correct=correct,
                feedback=feedback,
                position=position,
            )
            for position, (text, correct, feedback) in enumerate(CUE_QUESTION["choices"], 1)
        )
    chosen.insert(7, cue_question)
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=quiz, question=question, position=position)
        for position, question in enumerate(chosen, start=1)
    )
    return quiz


# The rest of the demo class: students who have already taken the quiz, so the teacher's
# pages show real numbers. Their chance of getting a question right depends on its skill
# (attribution, claims vs facts, sourcing); some tried twice. They print no login: a teacher
# who wants to sign in as one gives them a new password from the roster.
DEMO_CLASSMATES = [
    # username suffix, first name, last name, (attribution, claims, sourcing), second try?
    ("amir", "Amir", "Haddad", (0.95, 0.9, 0.85), False),
    ("beatriz", "Beatriz", "Santos", (0.85, 0.7, 0.5), False),
    ("chen", "Chen", "Wei", (0.75, 0.85, 0.6), True),
    ("dmitri", "Dmitri", "Volkov", (0.6, 0.4, 0.35), False),
    ("elif", "Elif", "Yılmaz", (0.9, 0.6, 0.75), False),
    ("femi", "Femi", "Adeyemi", (0.5, 0.75, 0.45), True),
    ("greta", "Greta", "Lindqvist", (0.8, 0.8, 0.9), False),
    ("hiro", "Hiro", "Tanaka", (0.4, 0.5, 0.3), False),
    ("ines", "Inès", "Moreau", (0.7, 0.55, 0.65), False),
    ("jonas", "Jonas", "Becker", (0.65, 0.35, 0.55), True),
    ("kiara", "Kiara", "Patel", (0.85, 0.95, 0.7), False),
    ("liam", "Liam", "O’Connor", (0.3, 0.45, 0.25), False),
]
SKILL_ORDER = [Skill.ATTRIBUTION, Skill.CLAIMS, Skill.SOURCING]
# The cue question is the hard one: few students see what "pointed out" implies.
DEMO_HARD_PROMPT = CUE_QUESTION["prompt"]


def _demo_draw(*parts: object) -> float:
    """A number in [0, 1) fixed by its inputs, so every run makes the same answers."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def demo_class_attempts_ensure(*, assignment: Assignment) -> None:
    """Add the demo classmates to the class with their finished attempts, once."""
    user_model = get_user_model()
    questions = list(
        Question.objects.filter(quiz_items__quiz=assignment.quiz)
        .order_by("quiz_items__position", "quiz_items__pk")
        .prefetch_related("choices")
    )
    now = timezone.now()
    # After the opening, and far enough in the past that every attempt has ended.
    anchor = min(now - timedelta(hours=3), assignment.opens_at + timedelta(hours=1))
    for index, (key, first_name, last_name, ability, second_try) in enumerate(DEMO_CLASSMATES):
        student, created = user_model.objects.get_or_create(
            username=f"demo-class-{key}",
            defaults={"first_name": first_name, "last_name": last_name},
        )
        if created:
            student.set_unusable_password()
            student.save(update_fields=["password"])
        Enrollment.objects.get_or_create(classroom=assignment.classroom, student=student)
        if Attempt.objects.filter(assignment=assignment, student=student).exists():
            continue
        started = anchor + timedelta(minutes=7 * index)
        tries = [(1, ability, started)]
        if second_try:
            # Practice helps: the second try is better on every skill.
            better = tuple(min(0.98, p + 0.2) for p in ability)
            tries.append((2, better, started + timedelta(minutes=40)))
        for number, chances, began in tries:
            demo_attempt_create(
                assignment=assignment,
                student=student,
                number=number,
                chances=chances,
                started_at=began,
                questions=questions,
            )


def demo_attempt_create(*, assignment, student, number, chances, started_at, questions) -> None:
    """A handed-in attempt answering each question right with its skill's chance (drawn the
    same way on every run)."""
    attempt = Attempt.objects.create(
        assignment=assignment,
        student=student,
        number=number,
        started_at=started_at,
        max_score=sum(q.points for q in questions),
    )
    responses = []
    for position, question in enumerate(questions):
        chance = chances[SKILL_ORDER.index(question.skill)]
        if question.prompt == DEMO_HARD_PROMPT:
            chance *= 0.35
        right = _demo_draw(student.username, number, position) < chance
        choices = [c for c in question.choices.all() if c.is_correct == right]
        # Wrong answers differ from student to student: which wrong choice is drawn too.
        choice = choices[int(_demo_draw(student.username, number, position, "pick") * len(choices))]
        responses.append(
            Response(
                attempt=attempt,
                question=question,
                choice=choice,
                is_correct=right,
                points=question.points_for(right),
                answered_at=started_at + timedelta(minutes=1 + position),
            )
        )
    Response.objects.bulk_create(responses)
    attempt_totals_recount(attempts=Attempt.objects.filter(pk=attempt.pk))
    Attempt.objects.filter(pk=attempt.pk).update(
        submitted_at=started_at + timedelta(minutes=len(responses) + 2)
    )


# The demo class's first assignment, on a practice article, four weeks before the current one.
# It has closed, so its booster practice (2 days, 1 week and 3 weeks after the close) has come
# round for everyone who handed it in: the classmates did theirs, and Amara (demo-student-1) has
# done two of three, so her third shows as practice due.
DEMO_PRACTICE_QUIZ = "Practice: who wants the library closed?"
DEMO_PRACTICE_ARTICLE = "practice-millbrook-library"
DEMO_PRACTICE_KINDS = (
    Question.Kind.ATTRIBUTION,
    Question.Kind.SOURCING,
    Question.Kind.CLASSIFICATION,
)
DEMO_PRACTICE_STUDENT = (DEMO_STUDENTS[0], (0.8, 0.5, 0.55))  # who, and their chances per skill
# Practice keeps the skill: each booster a little better than the one before.
DEMO_BOOSTER_GAIN = 0.05


def demo_practice_ensure(*, classroom: Classroom, teacher, articles) -> None:
    """The closed practice assignment, its attempts and its boosters, once."""
    if Assignment.objects.filter(classroom=classroom, quiz__title=DEMO_PRACTICE_QUIZ).exists():
        return
    article = next(a for a in articles if a.slug == DEMO_PRACTICE_ARTICLE)
    quiz = Quiz.objects.create(
        title=DEMO_PRACTICE_QUIZ,
        owner=teacher,
        published=True,
        description="Who is speaking in a local news story, and what backs it up.",
    )
    quiz_article_questions_add(quiz=quiz, article=article, kinds=DEMO_PRACTICE_KINDS)
    now = timezone.now()
    assignment = Assignment.objects.create(
        classroom=classroom,
        quiz=quiz,
        opens_at=now - timedelta(days=31),
        due_at=now - timedelta(days=24),
    )
    questions = list(
        Question.objects.filter(quiz_items__quiz=quiz)
        .order_by("quiz_items__position", "quiz_items__pk")
        .prefetch_related("choices")
    )
    user_model = get_user_model()
    takers = [
        (user_model.objects.get(username=f"demo-class-{key}"), tuple(p - 0.05 for p in ability))
        for key, _first, _last, ability, _again in DEMO_CLASSMATES
    ]
    username, chances = DEMO_PRACTICE_STUDENT
    takers.append((user_model.objects.get(username=username), chances))
    ability_of = {student.pk: chances for student, chances in takers}
    for index, (student, chances) in enumerate(takers):
        demo_attempt_create(
            assignment=assignment,
            student=student,
            number=1,
            chances=chances,
            started_at=assignment.opens_at + timedelta(days=1, minutes=9 * index),
            questions=questions,
        )
    closes = assignment.closes_at()
    last_slot = len(assignment.booster_offsets())
    for slot, days in enumerate(assignment.booster_offsets(), start=1):
        done_at = closes + timedelta(days=days, hours=5)
        boosters_create_due(now=done_at, assignments=[assignment])
        boosters = assignment.booster_sets.filter(slot=slot).select_related("student")
        for booster in boosters:
            if booster.student.username == username and slot == last_slot:
                continue  # left for the demo student to do
            gain = DEMO_BOOSTER_GAIN * slot
            chances = tuple(min(0.98, p + gain) for p in ability_of[booster.student_id])
            _demo_booster_answer(booster=booster, chances=chances, at=done_at)


def _demo_booster_answer(*, booster, chances, at) -> None:
    """Answer every question of the booster as a student with these chances would."""
    for position, item in enumerate(booster.items.select_related("question")):
        question = item.question
        chance = chances[SKILL_ORDER.index(question.skill)]
        right = _demo_draw(booster.student.username, "booster", booster.slot, position) < chance
        choices = [c for c in question.choices.all() if c.is_correct == right]
        if choices:
            answer = Answer(choice_id=choices[0].pk)
        elif right:
            answer = Answer(start=question.answer_start, end=question.answer_end)
        else:
            # A wrong selection: the statement's first word, never the source's.
            start = question.annotation.start if question.annotation_id else 0
            answer = Answer(start=start, end=start + 1)
        booster_answer(
            booster_id=booster.pk,
            student=booster.student,
            question_id=question.pk,
            answer=answer,
            now=at + timedelta(minutes=1 + position),
        )


# The demo class's study: a pre-test eight weeks ago, the practice assignment, a post-test
# four weeks ago and the retention test, open now (the demo students can take it). Two
# parallel forms from the practice articles' three pairs: form A the first of each pair, form
# B the second. The classmates answer as their abilities say, lower before the practice and
# higher after; at the pre-test, when unsure of a reported fact, most call it a claim.
DEMO_STUDY = "Does practice help? This term's study"
DEMO_FORM_TITLES = ("Study test, form A", "Study test, form B")
# From each article, five questions on five different statements: is a claim a claim, is a
# reported fact a fact, who says one, what backs one, which words name one's source.
DEMO_FORM_PLAN = (
    (Question.Kind.CLASSIFICATION, Annotation.Kind.CLAIM),
    (Question.Kind.CLASSIFICATION, Annotation.Kind.REPORTED_FACT),
    (Question.Kind.ATTRIBUTION, None),
    (Question.Kind.SOURCING, None),
    (Question.Kind.EVIDENCE, None),
)
# Each phase's change to a classmate's chances per skill, and its days before today.
DEMO_STUDY_PHASES = (
    (Study.Phase.PRE, -0.2, 56),
    (Study.Phase.POST, 0.05, 28),
    (Study.Phase.RETENTION, -0.03, 2),
)
# Wrong on a reported fact, the share who call it a claim (the doubting answer), by phase.
DEMO_DOUBT = {Study.Phase.PRE: 0.8, Study.Phase.POST: 0.5, Study.Phase.RETENTION: 0.5}


def demo_form_ensure(*, title: str, articles, owner) -> Quiz:
    """A study form: DEMO_FORM_PLAN's questions from each article, in the articles' order."""
    quiz, created = Quiz.objects.get_or_create(
        title=title,
        owner=owner,
        defaults={
            "description": "Three Millbrook stories, one at each reading level.",
            "published": True,
        },
    )
    if not created:
        return quiz
    chosen = []
    for article in articles:
        questions = list(
            Question.objects.filter(article=article, annotation__isnull=False)
            .select_related("annotation")
            .order_by("annotation__start", "pk")
        )
        used = set()
        for kind, statement_kind in DEMO_FORM_PLAN:
            match = next(
                q
                for q in questions
                if q.kind == kind
                and q.annotation_id not in used
                and statement_kind in (None, q.annotation.kind)
            )
            used.add(match.annotation_id)
            chosen.append(match)
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=quiz, question=question, position=position)
        for position, question in enumerate(chosen, start=1)
    )
    return quiz


def demo_study_ensure(*, classroom: Classroom, teacher, articles) -> None:
    """The demo class's study, its three tests and the classmates' answers, once."""
    if Study.objects.filter(classroom=classroom, title=DEMO_STUDY).exists():
        return
    by_slug = {article.slug: article for article in articles}
    form_a, form_b = (
        demo_form_ensure(
            title=title,
            articles=[by_slug[pair[side].slug] for pair in PARALLEL_FORMS],
            owner=teacher,
        )
        for side, title in enumerate(DEMO_FORM_TITLES)
    )
    study = study_create(
        classroom=classroom, teacher=teacher, title=DEMO_STUDY, form_a=form_a, form_b=form_b
    )
    practice = classroom.assignments.filter(quiz__title=DEMO_PRACTICE_QUIZ).first()
    if practice is not None:
        study_practice_add(study=study, assignment=practice)
    participants_ensure(study=study, seed=DEMO_STUDY)
    ability = {
        f"demo-class-{key}": chances for key, _first, _last, chances, _again in DEMO_CLASSMATES
    }
    now = timezone.now()
    for phase, change, days in DEMO_STUDY_PHASES:
        opens_at = now - timedelta(days=days)
        opened = phase_open(
            study=study, phase=phase, opens_at=opens_at, due_at=opens_at + timedelta(days=7)
        )
        sittings = opened.sittings.select_related("participant__student").order_by("pk")
        for index, sitting in enumerate(sittings):
            student = sitting.participant.student
            if student.username not in ability:
                continue  # the demo students take theirs themselves
            if phase == Study.Phase.RETENTION and index % 6 == 5:
                continue  # a few have not taken the retention test yet
            chances = tuple(min(0.97, max(0.1, p + change)) for p in ability[student.username])
            _demo_sitting_answer(
                sitting=sitting,
                chances=chances,
                doubt=DEMO_DOUBT[phase],
                at=opens_at + timedelta(hours=2, minutes=11 * index),
            )


def _demo_sitting_answer(*, sitting, chances, doubt, at) -> None:
    """Answer every question of the sitting as a student with these chances would."""
    items = sitting.items.select_related("question__annotation").order_by("position")
    for position, item in enumerate(items):
        question = item.question
        draw = (sitting.participant.student.username, sitting.phase.phase, position)
        right = _demo_draw(*draw) < chances[SKILL_ORDER.index(question.skill)]
        choices = list(question.choices.order_by("position", "pk"))
        wrong = [c for c in choices if not c.is_correct]
        if right and choices:
            answer = Answer(choice_id=next(c for c in choices if c.is_correct).pk)
        elif right:
            answer = Answer(start=question.answer_start, end=question.answer_end)
        elif question.kind == Question.Kind.CLASSIFICATION and wrong:
            # The first choice says "claim": the doubting answer to a reported fact.
            claim = choices[0] if not choices[0].is_correct else None
            doubting = claim is not None and _demo_draw(*draw, "doubt") < doubt
            answer = Answer(choice_id=(claim if doubting else wrong[-1]).pk)
        elif wrong:
            answer = Answer(choice_id=wrong[int(_demo_draw(*draw, "pick") * len(wrong))].pk)
        else:
            start = question.annotation.start if question.annotation_id else 0
            answer = Answer(start=start, end=start + 1)
        sitting_answer(
            sitting_id=sitting.pk,
            student=sitting.participant.student,
            question_id=question.pk,
            answer=answer,
            now=at + timedelta(minutes=1 + position),
        )
    sitting.refresh_from_db()
    if sitting.finished_at is None:
        sitting_finish(sitting=sitting, now=at + timedelta(minutes=len(items) + 2))


def demo_classroom_ensure(*, teacher, students) -> Classroom:
    classroom = Classroom.objects.filter(name=DEMO_CLASS, teachers=teacher).first()
    if classroom is None:
        classroom = Classroom.objects.create(name=DEMO_CLASS)
        classroom.teachers.add(teacher)
    for student in students:
        Enrollment.objects.get_or_create(classroom=classroom, student=student)
    return classroom
