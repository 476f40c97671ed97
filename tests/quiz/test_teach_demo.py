"""The demo class comes with classmates who have finished the quiz, for the teacher's pages."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from quiz import selectors
from quiz.management.commands.demo import DEMO_PRACTICE_QUIZ, DEMO_QUIZ
from quiz.models import Attempt, Booster, Classroom, Response, Study

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", "--force", stdout=StringIO())
    return Classroom.objects.get(name="Demo class")


def current(classroom):
    """The demo class's current assignment (the other one closed weeks ago)."""
    return classroom.assignments.get(quiz__title=DEMO_QUIZ)


def test_demo_adds_a_dozen_classmates_with_finished_attempts(demo):
    classmates = demo.students.filter(username__startswith="demo-class-")

    assert classmates.count() == 12
    attempts = Attempt.objects.filter(student__in=classmates, assignment=current(demo))
    assert attempts.filter(number=1).count() == 12
    assert not attempts.filter(submitted_at__isnull=True).exists()
    quiz_length = current(demo).quiz.items.count()
    assert all(a.answered == quiz_length for a in attempts)
    assert not any(u.has_usable_password() for u in classmates)


def test_demo_students_who_take_the_quiz_themselves_have_no_attempt(demo):
    for n in (1, 2, 3):
        assert not Attempt.objects.filter(
            student__username=f"demo-student-{n}", assignment=current(demo)
        ).exists()


def test_demo_classmates_score_differently_and_make_different_mistakes(demo):
    first_tries = Attempt.objects.filter(
        student__username__startswith="demo-class-", number=1, assignment=current(demo)
    )

    scores = list(first_tries.values_list("score", flat=True))
    assert len(set(scores)) >= 6
    mistakes = {
        tuple(
            Response.objects.filter(attempt=attempt, is_correct=False)
            .order_by("question_id")
            .values_list("question_id", "choice_id")
        )
        for attempt in first_tries
    }
    assert len(mistakes) == 12


def test_demo_attempts_happened_after_the_assignment_opened(demo):
    for assignment in demo.assignments.all():
        for attempt in Attempt.objects.filter(assignment=assignment):
            assert assignment.opens_at <= attempt.started_at < attempt.submitted_at


def test_demo_teacher_pages_show_real_numbers(client, demo):
    client.force_login(get_user_model().objects.get(username="demo-teacher"))
    assignment = current(demo)

    analysis = selectors.item_analysis(assignment=assignment)
    mastery = selectors.skill_mastery(classroom=demo)
    gradebook = client.get(reverse("quiz:teach_gradebook", args=[demo.pk])).content.decode()

    assert analysis.attempts == 12
    assert all(item.facility is not None for item in analysis.items)
    assert all(share.percent is not None for share in mastery.classroom)
    assert "Amir Haddad" in gradebook and "Not started" in gradebook


def test_the_demo_class_has_done_booster_practice_after_its_first_assignment(demo):
    practice = demo.assignments.exclude(quiz__title=DEMO_QUIZ).get()
    boosters = Booster.objects.filter(assignment=practice)
    offsets = practice.booster_offsets()

    # Every student who handed the practice in got each booster, two days, a week and three
    # weeks after it closed; all done but the demo student's last, which waits for her.
    assert practice.is_closed()
    assert boosters.count() == 13 * len(offsets)
    assert {b.due_at - practice.closes_at() for b in boosters} == {
        timezone.timedelta(days=days) for days in offsets
    }
    waiting = boosters.filter(finished_at__isnull=True).get()
    assert (waiting.student.username, waiting.slot) == ("demo-student-1", len(offsets))
    assert selectors.boosters_due_for(student=waiting.student) == [waiting]
    trend = selectors.class_booster_trend(classroom=demo)
    assert trend.completion == (13 * len(offsets), 13 * len(offsets) - 1)
    assert all(point.percent is not None for skill in trend.skills for point in skill.points)


def test_the_demo_class_has_a_study_with_its_report_filled_in(demo):
    study = Study.objects.get(classroom=demo)
    report = selectors.study_report(study=study)

    assert [phase.opened for phase in report.phases] == [True, True, True]
    assert report.overall.effect.n == 12 and report.overall.effect.gain.mean > 0
    assert report.discernment.pre.n == report.discernment.post.n == 12
    assert study.practice_links.filter(assignment__quiz__title=DEMO_PRACTICE_QUIZ).exists()
    # The retention test is open now: the demo students find it on their home page.
    amara = get_user_model().objects.get(username="demo-student-1")
    [waiting] = selectors.studies_due_for(student=amara)
    assert waiting.phase.phase == Study.Phase.RETENTION
