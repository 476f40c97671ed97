"""LTI 1.3 end to end against the simulated platform: launches, placing a quiz, grade
passback and roster sync, and the launches that must be refused."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lti_tool.models import Key, LtiContext, LtiUser

from accounts.roles import is_teacher
from lti.models import CourseClass, LaunchNonce, PlacedLink, ScorePost
from lti.scores import score_posts_send
from quiz.models import Attempt, Classroom, Enrollment, Question
from quiz.services.authoring import question_regrade
from tests.factories import QuizFactory
from tests.lti.conftest import Registered
from tests.lti.platform import DEPLOYMENT_ID, LEARNER, generate_key

pytestmark = pytest.mark.django_db(transaction=True)


def place_quiz(registered: Registered, teacher_client: Client, **terms):
    """The teacher's deep-linking launch, the quiz chosen, the answer taken by the platform."""
    response = registered.launch(teacher_client, "teacher-1", message="deep_link")
    assert response.status_code == 302 and response["Location"] == reverse("lti:place")
    teacher = get_user_model().objects.get(lti_users__sub="teacher-1")
    quiz = QuizFactory(owner=teacher, title="Who is speaking?", questions=3)
    assert teacher_client.get(reverse("lti:place")).status_code == 200
    data = {
        "quiz": quiz.pk,
        "opens_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "attempts_allowed": 2,
        "reveal": "after_each",
        "booster_days": "2,7,21",
        **terms,
    }
    response = teacher_client.post(reverse("lti:place"), data)
    assert response.status_code == 200, response.content.decode()[:2000]
    jwt_value = response.context["answer"].jwt
    assert registered.platform.base_url + "/deep_link_return" in response.content.decode()
    [link] = registered.platform.deep_link_return(jwt_value)
    return quiz, link


def take_quiz(client: Client, assignment_pk: int, *, right: int) -> Attempt:
    """Start, answer (the first `right` questions right, the rest wrong) and hand in."""
    client.post(reverse("quiz:attempt_start", args=[assignment_pk]))
    attempt = Attempt.objects.filter(assignment_id=assignment_pk).latest("pk")
    items = attempt.assignment.quiz.items.order_by("position")
    for position, item in enumerate(items):
        choice = (
            item.question.choices.get(is_correct=position < right)
            if position < right
            else (item.question.choices.filter(is_correct=False).first())
        )
        response = client.post(
            reverse("quiz:answer", args=[attempt.pk, item.question.pk]), {"choice": choice.pk}
        )
        assert response.status_code == 302
    client.post(reverse("quiz:finish", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    return attempt


def test_instructor_places_a_quiz_learner_takes_it_and_the_platform_gets_the_score(registered):
    platform = registered.platform
    teacher_client, student_client = Client(), Client()
    quiz, link = place_quiz(registered, teacher_client, attempts_allowed=2)

    # The teacher's account, and the course's class.
    teacher = get_user_model().objects.get(lti_users__sub="teacher-1")
    assert is_teacher(teacher) and not teacher.has_usable_password() and teacher.email == ""
    assert teacher.get_full_name() == "Rosa Diaz"
    course = CourseClass.objects.select_related("classroom").get()
    assert course.classroom.name == "Year 9 Media Literacy"
    assert list(course.classroom.teachers.all()) == [teacher]
    assert not course.classroom.join_open
    assignment = course.classroom.assignments.get()
    assert (assignment.quiz, assignment.attempts_allowed) == (quiz, 2)
    # The platform made the gradebook column from our line item.
    [line_item] = platform.line_items
    assert line_item["scoreMaximum"] == 3 and line_item["label"] == "Who is speaking?"
    assert link.line_item == line_item["id"]

    # The student opens the placed link and lands on the assignment, with no account of ours.
    response = registered.launch(student_client, "student-1", resource_link_id=link.id)
    assert response.status_code == 302
    assert response["Location"] == reverse("quiz:assignment", args=[assignment.pk])
    student = get_user_model().objects.get(lti_users__sub="student-1")
    assert not is_teacher(student) and not student.has_usable_password()
    assert Enrollment.objects.filter(classroom=course.classroom, student=student).exists()
    assert student_client.get(response["Location"]).status_code == 200
    placed = PlacedLink.objects.get()
    assert placed.resource_link.id_on_platform == link.id
    assert placed.lineitem_url == line_item["id"]

    # The teacher opening the link lands on its results.
    response = registered.launch(teacher_client, "teacher-1", resource_link_id=link.id)
    assert response["Location"] == reverse("quiz:teach_assignment", args=[assignment.pk])

    attempt = take_quiz(student_client, assignment.pk, right=2)
    post = ScorePost.objects.get()
    assert post.is_pending and post.student == student

    call_command("lti_scores_send", "--once")

    [score] = platform.scores
    assert score.user_id == "student-1"
    assert (score.score_given, score.score_maximum) == (2, 3) == (attempt.score, attempt.max_score)
    assert score.activity_progress == "Completed" and score.grading_progress == "FullyGraded"
    assert score.line_item == line_item["id"]
    post.refresh_from_db()
    assert not post.is_pending and post.sent_score == 2

    # Nothing more to send: a second pass posts nothing.
    assert score_posts_send().sent == 0
    assert len(platform.scores) == 1


def test_a_regrade_sends_the_new_score_and_an_unchanged_one_is_not_sent_again(registered):
    platform = registered.platform
    teacher_client, student_client = Client(), Client()
    quiz, link = place_quiz(registered, teacher_client)
    registered.launch(student_client, "student-1", resource_link_id=link.id)
    assignment = CourseClass.objects.get().classroom.assignments.get()
    take_quiz(student_client, assignment.pk, right=1)
    score_posts_send()
    assert [s.score_given for s in platform.scores] == [1]

    # The teacher finds the third question's key was wrong: every answer now earns its point.
    question = quiz.questions.order_by("quiz_items__position").last()
    Question.objects.filter(pk=question.pk).update(credit_all=True)
    question_regrade(question=question)
    assert ScorePost.objects.get().is_pending
    score_posts_send()
    assert [s.score_given for s in platform.scores] == [1, 2]
    assert platform.scores[1].timestamp > platform.scores[0].timestamp

    # Regrading again changes nothing, so nothing is posted.
    question_regrade(question=question)
    score_posts_send()
    assert len(platform.scores) == 2


def test_a_platform_that_is_down_gets_the_score_later_and_the_teacher_sees_it_pending(registered):
    platform = registered.platform
    teacher_client, student_client = Client(), Client()
    _quiz, link = place_quiz(registered, teacher_client)
    registered.launch(student_client, "student-1", resource_link_id=link.id)
    classroom = CourseClass.objects.get().classroom
    take_quiz(student_client, classroom.assignments.get().pk, right=3)

    platform.fail_next(2, status=503)
    now = timezone.now()
    assert score_posts_send(now=now).failed == 1
    post = ScorePost.objects.get()
    assert post.is_pending and post.tries == 1 and "503" in post.last_error
    assert post.next_try_at == now + timedelta(seconds=30)
    page = teacher_client.get(reverse("lti:course", args=[classroom.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 score waiting to be sent." in html and "Failed 1 time" in html and "503" in html

    # Not due yet: nothing is tried.
    assert score_posts_send(now=now + timedelta(seconds=10)).failed == 0
    # Due again, still down; then the wait doubles.
    assert score_posts_send(now=now + timedelta(seconds=31)).failed == 1
    post.refresh_from_db()
    assert post.tries == 2 and post.next_try_at == now + timedelta(seconds=31 + 60)
    assert score_posts_send(now=now + timedelta(seconds=92)).sent == 1
    assert [s.score_given for s in platform.scores] == [3]
    html = teacher_client.get(reverse("lti:course", args=[classroom.pk])).content.decode()
    assert "0 scores waiting to be sent." in html and "Up to date" in html


def test_a_lease_keeps_two_workers_from_posting_the_same_score(registered):
    platform = registered.platform
    teacher_client, student_client = Client(), Client()
    _quiz, link = place_quiz(registered, teacher_client)
    registered.launch(student_client, "student-1", resource_link_id=link.id)
    take_quiz(student_client, CourseClass.objects.get().classroom.assignments.get().pk, right=1)
    now = timezone.now()
    # A worker took the row and died before posting: its lease holds the row for a while.
    ScorePost.objects.update(lease_until=now + timedelta(minutes=2))
    assert score_posts_send(now=now).sent == 0
    assert platform.scores == []
    # Once the lease runs out, the next worker posts it, once.
    assert score_posts_send(now=now + timedelta(minutes=3)).sent == 1
    assert score_posts_send(now=now + timedelta(minutes=4)).sent == 0
    assert len(platform.scores) == 1


def test_roster_sync_lists_students_who_have_not_launched_as_not_started(registered):
    platform = registered.platform
    platform.page_size = 2  # the roster comes in pages
    platform.add_members(3)
    teacher_client = Client()
    place_quiz(registered, teacher_client)
    classroom = CourseClass.objects.get().classroom
    assert classroom.enrollments.count() == 0

    response = teacher_client.post(reverse("lti:roster_sync", args=[classroom.pk]), follow=True)

    html = response.content.decode()
    assert "5 added" in html, html[:3000]
    names = set(classroom.students.values_list("first_name", flat=True))
    assert {"Amir", "Bea"} <= names and classroom.students.count() == 5
    gradebook = teacher_client.get(reverse("quiz:teach_gradebook", args=[classroom.pk]))
    assert gradebook.content.decode().count("Not started") >= 5
    # Syncing again adds nobody twice; a student who then launches keeps their account.
    teacher_client.post(reverse("lti:roster_sync", args=[classroom.pk]))
    assert classroom.enrollments.count() == 5
    student_client = Client()
    registered.launch(student_client, "student-1")
    assert classroom.enrollments.count() == 5
    assert LtiUser.objects.get(sub="student-1").auth_user.enrollments.count() == 1


def test_a_student_before_the_teacher_set_the_course_up_is_told_and_nothing_is_kept(registered):
    platform = registered.platform
    platform.resource_link("Reading the news")
    response = registered.launch(Client(), "student-1")
    assert response.status_code == 403
    assert "Your teacher has not set Sourcewise up in this course yet" in response.content.decode()
    assert not get_user_model().objects.exists()
    assert not LtiContext.objects.exists() and not LaunchNonce.objects.exists()


@pytest.mark.parametrize(
    ("token", "reason", "words"),
    [
        ({"sign_with": generate_key()}, "signature", "signature on this launch could not be"),
        ({"claims": {"aud": "another-tool"}}, "registration", "not registered with Sourcewise"),
        ({"expires_in": -120}, "expired", "This launch has expired"),
        ({"claims": {DEPLOYMENT_ID: "deployment-unknown"}}, "deployment", "deployment"),
    ],
)
def test_a_bad_token_is_refused_with_a_clear_page_and_nothing_is_created(
    registered, token, reason, words
):
    registered.platform.resource_link("Reading the news")
    response = registered.launch(Client(), "teacher-1", token=token)
    assert response.status_code == 403
    html = response.content.decode()
    assert f'data-reason="{reason}"' in html and words in html and "Nothing was saved." in html
    assert "Traceback" not in html
    assert not get_user_model().objects.exists()
    assert not LtiUser.objects.exists() and not LtiContext.objects.exists()
    assert not Classroom.objects.exists() and not LaunchNonce.objects.exists()
    assert registered.registration.deployments.count() == 1


def test_a_replayed_launch_is_refused_and_changes_nothing(registered):
    registered.platform.resource_link("Reading the news")
    client = Client()
    _action, fields = registered.platform.authorize(registered.auth_request(client, "teacher-1"))
    first = client.post(reverse("lti:launch"), fields)
    assert first.status_code == 302
    counts = (get_user_model().objects.count(), Classroom.objects.count(), LtiUser.objects.count())

    replay = client.post(reverse("lti:launch"), fields)

    assert replay.status_code == 403
    assert "This launch has been used already" in replay.content.decode()
    after = (get_user_model().objects.count(), Classroom.objects.count(), LtiUser.objects.count())
    assert after == counts and LaunchNonce.objects.count() == 1


def test_a_launch_is_framed_only_by_the_registered_platform(registered):
    registered.platform.resource_link("Reading the news")
    client = Client()
    response = registered.launch(client, "teacher-1")
    origin = registered.platform.base_url
    assert f"frame-ancestors {origin}" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    # The session's pages may be framed by the platform too; a fresh visitor's may not.
    page = client.get(response["Location"])
    assert f"frame-ancestors {origin}" in page["Content-Security-Policy"]
    other = Client().get(reverse("login"))
    assert "frame-ancestors 'none'" in other["Content-Security-Policy"]
    assert other["X-Frame-Options"] == "DENY"


def test_a_browser_that_blocks_cookies_in_the_frame_is_offered_a_new_window(registered):
    client = Client()
    params = registered.platform.login_params("student-1", message="deep_link")
    first = client.get(registered.login_path, params)
    assert first.status_code == 302
    client.cookies.clear()  # the browser did not keep the cookie
    response = client.get(first["Location"])
    assert response.status_code == 200
    html = response.content.decode()
    assert 'target="_blank"' in html and "Open Sourcewise in a new window" in html
    assert f'name="lti_message_hint" value="{params["lti_message_hint"]}"' in html


def test_a_learner_cannot_place_quizzes(registered):
    registered.platform.person("student-3", "Cy Moss", [LEARNER])
    registered.launch(Client(), "teacher-1", message="deep_link")
    response = registered.launch(Client(), "student-3", message="deep_link")
    assert response.status_code == 403
    assert "can choose what Sourcewise puts in it" in response.content.decode()


def test_the_key_set_publishes_our_public_key_and_never_the_private_one(registered, client):
    keys = client.get(reverse("lti:jwks")).json()["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and "d" not in keys[0]
    call_command("lti_keys", "--rotate", "--keep-days", "0")
    keys = client.get(reverse("lti:jwks")).json()["keys"]
    assert len(keys) == 1 and "d" not in keys[0]


def test_a_rotated_key_stays_published_for_the_days_given_after_its_replacement():
    old = Key.objects.generate()
    Key.objects.filter(pk=old.pk).update(datetime_created=timezone.now() - timedelta(days=400))
    call_command("lti_keys", "--rotate", "--keep-days", "7")
    # Replaced just now: both are published, the new one signs.
    assert Key.objects.active().count() == 2
    assert Key.objects.active().latest().pk != old.pk
    newest = Key.objects.active().latest()
    Key.objects.filter(pk=newest.pk).update(datetime_created=timezone.now() - timedelta(days=8))
    call_command("lti_keys")
    assert list(Key.objects.active()) == [newest]


def test_a_quiz_whose_launch_names_no_column_gets_its_score_in_the_column_found_by_resource_id(
    registered,
):
    platform = registered.platform
    teacher_client, student_client = Client(), Client()
    _quiz, link = place_quiz(registered, teacher_client)
    link.line_item = None  # this platform sends no column with its launches
    registered.launch(student_client, "student-1", resource_link_id=link.id)
    assert PlacedLink.objects.get().lineitem_url == ""
    take_quiz(student_client, CourseClass.objects.get().classroom.assignments.get().pk, right=1)

    assert score_posts_send().sent == 1

    [line_item] = platform.line_items
    assert platform.latest_score("student-1").line_item == line_item["id"]
    assert PlacedLink.objects.get().lineitem_url == line_item["id"]


def test_a_launch_over_https_without_the_protocol_cookie_is_refused_not_an_error(registered):
    registered.platform.resource_link("Reading the news")
    client = Client()
    _action, fields = registered.platform.authorize(registered.auth_request(client, "student-1"))
    client.cookies.clear()
    response = Client().post(reverse("lti:launch"), fields, secure=True)
    assert response.status_code == 403
    assert 'data-reason="state"' in response.content.decode()


@pytest.mark.parametrize("drop", ["iss", "login_hint"])
def test_an_incomplete_login_initiation_is_refused_not_an_error(registered, drop):
    client = Client()
    params = registered.platform.login_params("student-1", message="deep_link")
    del params[drop]
    client.get(registered.login_path, params)  # the cookie check
    response = client.get(registered.login_path, {**params, "cookie_check": "1"})
    assert response.status_code in (400, 403)
    assert "Nothing was saved." in response.content.decode()


def test_a_launch_before_any_key_pair_exists_tells_the_administrator_what_to_run(registered):
    Key.objects.all().delete()
    client = Client()
    params = registered.platform.login_params("student-1", message="deep_link")
    client.get(registered.login_path, params)
    response = client.get(registered.login_path, {**params, "cookie_check": "1"})
    assert response.status_code == 503
    assert "python manage.py lti_keys" in response.content.decode()


def test_an_attempt_left_unfinished_at_the_due_time_is_sent_once_it_counts(registered):
    platform = registered.platform
    teacher_client, student_client = Client(), Client()
    _quiz, link = place_quiz(registered, teacher_client)
    registered.launch(student_client, "student-1", resource_link_id=link.id)
    assignment = CourseClass.objects.get().classroom.assignments.get()
    assignment.due_at = timezone.now() + timedelta(hours=1)
    assignment.save()
    student_client.post(reverse("quiz:attempt_start", args=[assignment.pk]))
    attempt = Attempt.objects.get()
    question = assignment.quiz.items.order_by("position").first().question
    student_client.post(
        reverse("quiz:answer", args=[attempt.pk, question.pk]),
        {"choice": question.choices.get(is_correct=True).pk},
    )
    # Before the due time nothing counts, so nothing is sent.
    assert score_posts_send().sent == 0 and platform.scores == []

    later = timezone.now() + timedelta(hours=2)
    assert score_posts_send(now=later).sent == 1
    assert [(s.score_given, s.score_maximum) for s in platform.scores] == [(1, 3)]
    # Sent once: later passes find it sent.
    assert score_posts_send(now=later + timedelta(minutes=5)).sent == 0
    assert ScorePost.objects.get().wanted_at is None
