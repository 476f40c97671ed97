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


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "articles.Outlet"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Outlet {n}")


ARTICLE_BODY = (
    "The mayor said on Monday that the bridge would reopen in May.\n\n"
    "Critics argue the repairs were rushed, according to a report seen by the Gazette.\n\n"
    "The bridge closed in 2023."
)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "articles.Article"

    title = factory.Sequence(lambda n: f"Bridge to reopen, mayor says ({n})")
    slug = factory.Sequence(lambda n: f"bridge-to-reopen-{n}")
    outlet = factory.SubFactory(OutletFactory)
    byline = "Jo Writer"
    body = ARTICLE_BODY
    owner = factory.SubFactory(TeacherFactory)
    status = "published"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "articles.Source"

    article = factory.SubFactory(ArticleFactory)
    name = factory.Sequence(lambda n: f"Source {n}")
    description = "Mayor"
    kind = "person"


class AnnotationFactory(factory.django.DjangoModelFactory):
    """An annotation of `quote` (its first occurrence in the body) by default."""

    class Meta:
        model = "articles.Annotation"
        exclude = ("quote",)

    article = factory.SubFactory(ArticleFactory)
    quote = "the bridge would reopen in May"
    start = factory.LazyAttribute(lambda o: o.article.body.index(o.quote))
    end = factory.LazyAttribute(lambda o: o.start + len(o.quote))
    exact = factory.LazyAttribute(lambda o: o.article.body[o.start : o.end])
    prefix = factory.LazyAttribute(lambda o: o.article.body[max(0, o.start - 32) : o.start])
    suffix = factory.LazyAttribute(lambda o: o.article.body[o.end : o.end + 32])
    kind = "claim"
    sourcing = "named_person"
    speaker = factory.SubFactory(SourceFactory, article=factory.SelfAttribute("..article"))
    cue = "said"
    explanation = "The mayor says this; the reporter does not vouch for it."
    author = factory.SelfAttribute("article.owner")
