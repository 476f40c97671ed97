"""The demo's class run from a learning platform: run after `demo`, as `make run` does."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from lti_tool.models import LtiContext, LtiDeployment, LtiRegistration, LtiResourceLink, LtiUser

from accounts.roles import DEMO_TEACHER
from lti.models import CourseClass, PlacedLink, ScorePost
from lti.services import username_for
from quiz.management.commands.demo import DEMO_QUIZ, demo_attempt_create
from quiz.models import Assignment, Attempt, Classroom, Enrollment, Question, Quiz

PLATFORM = "https://moodle.millbrook-school.example"
COURSE_TITLE = "Year 10 Media Studies"
CLASS_NAME = f"{COURSE_TITLE} (Millbrook Moodle)"
LINE_ITEM = f"{PLATFORM}/mod/lti/services.php/12/lineitems/31/lineitem?type_id=4"
# (subject on the platform, first name, last name, chance of a right answer per skill or None
# for a student who has not started, what became of the score)
STUDENTS = [
    ("2041", "Noor", "Haddad", (0.9, 0.8, 0.75), "sent"),
    ("2042", "Tomasz", "Nowak", (0.6, 0.55, 0.5), "sent"),
    ("2043", "Grace", "Okafor", (0.8, 0.5, 0.7), "failing"),
    ("2044", "Leo", "Brennan", None, None),
    ("2045", "Ines", "Carvalho", None, None),
]


class Command(BaseCommand):
    help = (
        "Add the demo's class run from a learning platform: a registered Moodle, its course, "
        "a placed quiz, students (two not started), and scores sent, and one failing. Safe to "
        "run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: run with --force if you really mean it.")
        teacher = get_user_model().objects.filter(username=DEMO_TEACHER).first()
        quiz = Quiz.objects.filter(title=DEMO_QUIZ, owner=teacher).first()
        if quiz is None:
            raise CommandError("Run `manage.py demo` first: this builds on its teacher and quiz.")
        classroom = self.build(teacher=teacher, quiz=quiz)
        self.stdout.write(f"Learning-platform demo: the class “{classroom.name}”.")

    @transaction.atomic
    def build(self, *, teacher, quiz) -> Classroom:
        registration, _created = LtiRegistration.objects.get_or_create(
            issuer=PLATFORM,
            client_id="sourcewise-demo",
            defaults={
                "name": "Millbrook Moodle (demo)",
                "auth_url": f"{PLATFORM}/mod/lti/auth.php",
                "token_url": f"{PLATFORM}/mod/lti/token.php",
                "keyset_url": f"{PLATFORM}/mod/lti/certs.php",
            },
        )
        deployment, _created = LtiDeployment.objects.get_or_create(
            registration=registration, deployment_id="4", defaults={"is_active": True}
        )
        context, _created = LtiContext.objects.get_or_create(
            deployment=deployment,
            id_on_platform="12",
            defaults={
                "title": COURSE_TITLE,
                "label": "MEDIA10",
                "is_course_offering": True,
                "memberships_url": (
                    f"{PLATFORM}/mod/lti/services.php/CourseSection/12/bindings/4/memberships"
                ),
                "lineitems_url": f"{PLATFORM}/mod/lti/services.php/12/lineitems?type_id=4",
                "can_publish_scores": True,
            },
        )
        course = CourseClass.objects.filter(context=context).select_related("classroom").first()
        if course is None:
            classroom = Classroom.objects.create(name=CLASS_NAME, join_open=False)
            classroom.teachers.add(teacher)
            course = CourseClass.objects.create(
                context=context,
                classroom=classroom,
                roster_synced_at=timezone.now() - timedelta(days=2),
            )
        classroom = course.classroom
        assignment = classroom.assignments.filter(quiz=quiz).first()
        if assignment is None:
            now = timezone.now()
            assignment = Assignment.objects.create(
                classroom=classroom,
                quiz=quiz,
                opens_at=now - timedelta(days=2),
                due_at=now + timedelta(days=5),
                attempts_allowed=1,
                reveal=Assignment.Reveal.AFTER_EACH,
            )
        resource_link, _created = LtiResourceLink.objects.get_or_create(
            context=context, id_on_platform="31", defaults={"title": quiz.title}
        )
        placed, _created = PlacedLink.objects.get_or_create(
            assignment=assignment,
            defaults={
                "resource_link": resource_link,
                "lineitem_url": LINE_ITEM,
                "lineitems_url": context.lineitems_url,
            },
        )
        self.students_ensure(registration=registration, placed=placed)
        return classroom

    def students_ensure(self, *, registration, placed) -> None:
        assignment = placed.assignment
        questions = list(
            Question.objects.filter(quiz_items__quiz=assignment.quiz)
            .order_by("quiz_items__position", "quiz_items__pk")
            .prefetch_related("choices")
        )
        user_model = get_user_model()
        anchor = timezone.now() - timedelta(days=1)
        for index, (sub, first, last, chances, fate) in enumerate(STUDENTS):
            lti_user, _created = LtiUser.objects.get_or_create(
                registration=registration,
                sub=sub,
                defaults={"given_name": first, "family_name": last, "name": f"{first} {last}"},
            )
            if lti_user.auth_user is None:
                username = username_for(issuer=registration.issuer, subject=sub)
                student, created = user_model.objects.get_or_create(
                    username=username, defaults={"first_name": first, "last_name": last}
                )
                if created:
                    student.set_unusable_password()
                    student.save(update_fields=["password"])
                lti_user.auth_user = student
                lti_user.save(update_fields=["auth_user"])
            student = lti_user.auth_user
            Enrollment.objects.get_or_create(classroom=assignment.classroom, student=student)
            if chances is None or Attempt.objects.filter(assignment=assignment, student=student):
                continue
            demo_attempt_create(
                assignment=assignment,
                student=student,
                number=1,
                chances=chances,
                started_at=anchor + timedelta(minutes=11 * index),
                questions=questions,
            )
            attempt = Attempt.objects.get(assignment=assignment, student=student)
            handed_in = attempt.submitted_at
            post = ScorePost(link=placed, student=student)
            if fate == "sent":
                post.sent_attempt = attempt
                post.sent_score, post.sent_maximum = attempt.score, attempt.max_score
                post.sent_state = f"{attempt.pk}:{attempt.score}/{attempt.max_score}"
                post.sent_at = handed_in + timedelta(seconds=4)
            else:
                # The school's Moodle was down for maintenance: the score waits for it.
                post.wanted_at = handed_in
                post.tries = 3
                post.last_error = "The platform answered 503."
                post.next_try_at = timezone.now() + timedelta(minutes=4)
            post.save()
