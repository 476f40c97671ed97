import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

DEMO_USERS = ["demo-teacher", "demo-student-1", "demo-student-2", "demo-student-3"]


def run_demo(**kwargs) -> str:
    from io import StringIO

    out = StringIO()
    call_command("demo", "--force", stdout=out, **kwargs)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for app in ("auth", "articles", "quiz")
        for model in apps.get_app_config(app).get_models()
    } | {"permissions": Group.objects.get(name="Teachers").permissions.count()}


def printed_logins(output: str) -> dict[str, str]:
    logins = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] == "password:":
            logins[parts[0]] = parts[2]
    return logins


def test_demo_twice_changes_nothing(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    first_output = run_demo()
    counts = row_counts()
    hashes = dict(get_user_model().objects.values_list("username", "password"))

    second_output = run_demo()

    assert row_counts() == counts
    assert dict(get_user_model().objects.values_list("username", "password")) == hashes
    assert printed_logins(first_output) == printed_logins(second_output)


def test_demo_creates_the_teacher_and_three_students():
    run_demo()

    users = get_user_model().objects.filter(username__in=DEMO_USERS)
    assert sorted(users.values_list("username", flat=True)) == sorted(DEMO_USERS)
    teacher = users.get(username="demo-teacher")
    assert teacher.is_staff
    assert teacher.groups.filter(name="Teachers").exists()
    assert not users.filter(username__startswith="demo-student", is_staff=True).exists()


@pytest.mark.parametrize("password", [None, "classroom-demo-1"])
def test_every_printed_login_works(client, monkeypatch, password):
    if password:
        monkeypatch.setenv("DEMO_PASSWORD", password)
    else:
        monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    output = run_demo(url="http://127.0.0.1:8000/")
    logins = printed_logins(output)

    assert sorted(logins) == sorted(DEMO_USERS)
    assert "http://127.0.0.1:8000/" in output
    for username, printed_password in logins.items():
        if password:
            assert printed_password == password
        response = client.post(
            reverse("login"), {"username": username, "password": printed_password}
        )
        assert response.status_code == 302, f"{username} could not log in"
        client.logout()


def test_the_demo_teacher_has_a_draft_to_annotate_with_the_proposers_proposals_waiting():
    from articles.demo_content.proposals import DEMO_DRAFT_OF, DEMO_DRAFT_SLUG
    from articles.models import AnnotationProposal, Article

    run_demo()

    draft = Article.objects.get(slug=DEMO_DRAFT_SLUG)
    original = Article.objects.get(slug=DEMO_DRAFT_OF)
    assert draft.owner.username == "demo-teacher" and draft.status == Article.Status.DRAFT
    assert draft.title == f"Draft to annotate: {original.title}"
    assert draft.body == original.body
    assert not draft.annotations.exists() and not draft.sources.exists()
    proposals = draft.proposals.all()
    assert len(proposals) >= 3
    assert {(p.origin, p.status) for p in proposals} == {
        (AnnotationProposal.Origin.PROPOSER, AnnotationProposal.Status.PENDING)
    }
    assert all(draft.body[p.start : p.end] == p.exact for p in proposals)


def test_demo_refuses_with_debug_off_without_force(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("demo")

    assert not get_user_model().objects.filter(username="demo-teacher").exists()


def test_demo_opens_on_a_working_classroom():
    from django.utils import timezone

    from quiz.models import Assignment, Classroom, Question, Quiz

    run_demo()

    classroom = Classroom.objects.get(name="Demo class")
    assert classroom.teachers.filter(username="demo-teacher").exists()
    usernames = set(classroom.students.values_list("username", flat=True))
    assert set(DEMO_USERS[1:]) <= usernames and len(usernames) == 15
    quiz = Quiz.objects.get(title="Who said it? Putin and the Trump contacts")
    kinds = set(quiz.questions.values_list("kind", flat=True))
    assert kinds == set(Question.Kind.values)
    assert 12 <= quiz.questions.count() <= 18
    assignment = Assignment.objects.get(classroom=classroom, quiz=quiz)
    assert assignment.is_open()
    assert assignment.due_at - timezone.now() > timezone.timedelta(days=6)
    assert assignment.reveal == Assignment.Reveal.AFTER_EACH


def test_the_demo_class_has_a_student_with_more_time():
    from quiz.models import Extension

    run_demo()

    extension = Extension.objects.get()
    assert extension.student.username == "demo-class-liam"
    assert extension.extra_attempts == 1
    assert extension.due_at - extension.assignment.due_at == timezone.timedelta(days=2)


@pytest.mark.parametrize("htmx", [True, False])
def test_a_demo_student_takes_the_whole_quiz(client, htmx):
    from quiz.management.commands.demo import DEMO_QUIZ
    from quiz.models import Attempt, Question

    run_demo()
    student = get_user_model().objects.get(username="demo-student-1")
    client.force_login(student)
    classroom = student.classes_joined.get()
    assignment = classroom.assignments.get(quiz__title=DEMO_QUIZ)
    headers = {"HX-Request": "true"} if htmx else {}

    response = client.post(reverse("quiz:attempt_start", args=[assignment.pk]), follow=True)
    attempt = Attempt.objects.get(student=student, assignment=assignment)
    for position, item in enumerate(assignment.quiz.items.order_by("position"), start=1):
        question = item.question
        url = reverse("quiz:answer", args=[attempt.pk, question.pk])
        page = client.get(reverse("quiz:question", args=[attempt.pk, question.pk]))
        assert page.status_code == 200
        # Answer right on odd positions and wrong on even ones, as a student might.
        choices = list(question.choices.all())
        want_right = position % 2 == 1
        choice = next(c for c in choices if c.is_correct == want_right)
        if question.kind == Question.Kind.EVIDENCE and want_right:
            data = {"start": question.answer_start, "end": question.answer_end}
        else:
            data = {"choice": choice.pk}
        response = client.post(url, data, headers=headers)
        assert response.status_code == (200 if htmx else 302)

    response = client.post(reverse("quiz:finish", args=[attempt.pk]), follow=True)

    attempt.refresh_from_db()
    total = assignment.quiz.items.count()
    assert attempt.answered == total
    assert attempt.score == (total + 1) // 2
    html = response.content.decode()
    assert f"{attempt.score} out of {total}" in html
    for skill in ("Attribution", "Claims vs facts", "Sourcing"):
        assert skill in html
