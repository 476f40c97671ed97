import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.template import Context, Template
from django.test import RequestFactory

from accounts.context_processors import roles
from accounts.roles import TEACHERS_GROUP, is_teacher, teachers_group_ensure
from tests.factories import StudentFactory, SuperuserFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def test_a_teacher_is_staff_in_the_teachers_group_or_a_superuser():
    assert is_teacher(TeacherFactory())
    assert is_teacher(SuperuserFactory())


def test_anonymous_visitors_and_students_are_not_teachers():
    assert not is_teacher(AnonymousUser())
    assert not is_teacher(StudentFactory())


def test_the_teachers_group_without_staff_status_does_not_make_a_teacher():
    student = StudentFactory()
    student.groups.add(teachers_group_ensure())

    assert not is_teacher(student)


def test_a_deactivated_teacher_is_no_longer_a_teacher():
    teacher = TeacherFactory(is_active=False)

    assert not is_teacher(teacher)


def test_asking_twice_in_one_request_asks_the_database_once(django_assert_num_queries):
    teacher = TeacherFactory()

    with django_assert_num_queries(1):
        assert is_teacher(teacher) and is_teacher(teacher)


def test_ensuring_the_group_keeps_one_teachers_group():
    teachers_group_ensure()
    teachers_group_ensure()

    assert Group.objects.filter(name=TEACHERS_GROUP).count() == 1


def test_templates_ask_whether_the_user_teaches_only_when_they_use_it(
    django_assert_num_queries,
):
    request = RequestFactory().get("/")
    request.user = TeacherFactory()

    with django_assert_num_queries(0):
        context = roles(request)
    with django_assert_num_queries(1):
        shown = Template("{% if is_teacher %}teacher{% endif %}").render(Context(context))

    assert shown == "teacher"
