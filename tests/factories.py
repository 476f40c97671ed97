"""factory-boy factories, one per model."""

import factory
from django.contrib.auth import get_user_model

from quiz.roles import teachers_group_ensure

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"student-{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(TEST_PASSWORD)


class StudentFactory(UserFactory):
    pass


class TeacherFactory(UserFactory):
    username = factory.Sequence(lambda n: f"teacher-{n}")
    is_staff = True

    @factory.post_generation
    def teachers_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(teachers_group_ensure())


class SuperuserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin-{n}")
    is_staff = True
    is_superuser = True
