"""factory-boy factories, one per model."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.roles import teachers_group_ensure
from quiz.models import Enrollment, Study

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


class QuotedSpanFactory(factory.django.DjangoModelFactory):
    """A span of an article's body: `quote`, its first occurrence there by default."""

    class Meta:
        abstract = True
        exclude = ("quote",)

    article = factory.SubFactory(ArticleFactory)
    quote = "the bridge would reopen in May"
    start = factory.LazyAttribute(lambda o: o.article.body.index(o.quote))
    end = factory.LazyAttribute(lambda o: o.start + len(o.quote))
    exact = factory.LazyAttribute(lambda o: o.article.body[o.start : o.end])
    prefix = factory.LazyAttribute(lambda o: o.article.body[max(0, o.start - 32) : o.start])
    suffix = factory.LazyAttribute(lambda o: o.article.body[o.end : o.end + 32])


class AnnotationFactory(QuotedSpanFactory):
    """An annotation of `quote` (its first occurrence in the body) by default."""

    class Meta:
        model = "articles.Annotation"

    kind = "claim"
    sourcing = "named_person"
    speaker = factory.SubFactory(SourceFactory, article=factory.SelfAttribute("..article"))
    cue = "said"
    explanation = "The mayor says this; the reporter does not vouch for it."
    author = factory.SelfAttribute("article.owner")


class AnnotationProposalFactory(QuotedSpanFactory):
    """A pending proposal of `quote` (its first occurrence in the body), complete enough to
    be accepted as it is: kind, sourcing and a speaker by name."""

    class Meta:
        model = "articles.AnnotationProposal"

    kind = "claim"
    sourcing = "named_person"
    cue = "said"
    speaker_name = "The mayor"
    speaker_kind = "person"
    explanation = "The mayor promises this; the reporter does not vouch for it."
    origin = "proposer"
    confidence = 0.9


class QuestionFactory(factory.django.DjangoModelFactory):
    """A hand-written multiple-choice question with one right choice among three."""

    class Meta:
        model = "quiz.Question"
        skip_postgeneration_save = True

    kind = "multiple_choice"
    skill = "claims"
    prompt = factory.Sequence(lambda n: f"Which of these is a reported fact? ({n})")
    explanation = "The reporter vouches for it."
    article = factory.SubFactory(ArticleFactory)
    owner = factory.SelfAttribute("article.owner")

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if not create:
            return
        texts = (
            extracted
            if extracted is not None
            else [("Right", True), ("Wrong", False), ("Also wrong", False)]
        )
        for position, (text, correct) in enumerate(texts, start=1):
            ChoiceFactory(question=self, text=text, is_correct=correct, position=position)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quiz.Choice"

    question = factory.SubFactory(QuestionFactory, choices=[])
    text = factory.Sequence(lambda n: f"Choice {n}")
    is_correct = False
    feedback = factory.LazyAttribute(lambda o: "Yes." if o.is_correct else "No.")


class QuizFactory(factory.django.DjangoModelFactory):
    """A published quiz; pass questions=[...] or questions=N for N new questions."""

    class Meta:
        model = "quiz.Quiz"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Quiz {n}")
    owner = factory.SubFactory(TeacherFactory)
    published = True

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        if not create or extracted is None:
            return
        from quiz.models import QuizQuestion

        if isinstance(extracted, int):
            article = ArticleFactory(owner=self.owner)
            extracted = [
                QuestionFactory(article=article, owner=self.owner) for _ in range(extracted)
            ]
        QuizQuestion.objects.bulk_create(
            QuizQuestion(quiz=self, question=question, position=position)
            for position, question in enumerate(extracted, start=1)
        )


class ClassroomFactory(factory.django.DjangoModelFactory):
    """A class; pass teachers=[...] and students=[...] (a teacher is made by default)."""

    class Meta:
        model = "quiz.Classroom"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Class {n}")

    @factory.post_generation
    def teachers(self, create, extracted, **kwargs):
        if create:
            self.teachers.add(*(extracted if extracted is not None else [TeacherFactory()]))

    @factory.post_generation
    def students(self, create, extracted, **kwargs):
        if create and extracted:
            self.students.add(*extracted)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quiz.Assignment"

    classroom = factory.SubFactory(ClassroomFactory)
    quiz = factory.SubFactory(QuizFactory, questions=3)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    attempts_allowed = 1
    reveal = "after_each"


class AttemptFactory(factory.django.DjangoModelFactory):
    """An attempt by a student in the assignment's class (enrolled=False: one who is not)."""

    class Meta:
        model = "quiz.Attempt"
        skip_postgeneration_save = True

    assignment = factory.SubFactory(AssignmentFactory)
    student = factory.SubFactory(StudentFactory)
    number = 1

    @factory.post_generation
    def enrolled(self, create, extracted, **kwargs):
        if create and extracted is not False:
            Enrollment.objects.get_or_create(
                classroom_id=self.assignment.classroom_id, student=self.student
            )


class BoosterFactory(factory.django.DjangoModelFactory):
    """A booster due now for a student of the assignment's class; pass questions=[...]."""

    class Meta:
        model = "quiz.Booster"
        skip_postgeneration_save = True

    assignment = factory.SubFactory(AssignmentFactory)
    student = factory.SubFactory(StudentFactory)
    slot = 1
    due_at = factory.LazyFunction(timezone.now)
    skill = "claims"

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        if not create:
            return
        Enrollment.objects.get_or_create(
            classroom_id=self.assignment.classroom_id, student=self.student
        )
        for position, question in enumerate(extracted or [], start=1):
            BoosterItemFactory(booster=self, question=question, position=position)


class BoosterItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quiz.BoosterItem"

    booster = factory.SubFactory(BoosterFactory)
    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n + 1)


class StudyFactory(factory.django.DjangoModelFactory):
    """A study in a class taught by the owner of its two parallel forms (three questions each,
    the same kinds and skill)."""

    class Meta:
        model = "quiz.Study"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Study {n}")
    form_a = factory.SubFactory(QuizFactory, questions=3)
    form_b = factory.SubFactory(
        QuizFactory, questions=3, owner=factory.SelfAttribute("..form_a.owner")
    )
    classroom = factory.SubFactory(ClassroomFactory, teachers=[])

    @factory.post_generation
    def teacher(self, create, extracted, **kwargs):
        """The forms' owner teaches the class (pass teacher=False for a class without)."""
        if create and extracted is not False:
            self.classroom.teachers.add(self.form_a.owner)


class StudyPracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quiz.StudyPractice"

    study = factory.SubFactory(StudyFactory)
    assignment = factory.SubFactory(
        AssignmentFactory, classroom=factory.SelfAttribute("..study.classroom")
    )


class StudyParticipantFactory(factory.django.DjangoModelFactory):
    """A student of the study's class (enrolled) taking part, in order AB by default."""

    class Meta:
        model = "quiz.StudyParticipant"
        skip_postgeneration_save = True

    study = factory.SubFactory(StudyFactory)
    student = factory.SubFactory(StudentFactory)
    order = "AB"
    pseudonym = factory.Sequence(lambda n: f"{n:08x}")

    @factory.post_generation
    def enrolled(self, create, extracted, **kwargs):
        if create and extracted is not False:
            Enrollment.objects.get_or_create(
                classroom_id=self.study.classroom_id, student=self.student
            )


class StudyPhaseFactory(factory.django.DjangoModelFactory):
    """A test of the study, opened an hour ago and due in a week (the pre-test by default)."""

    class Meta:
        model = "quiz.StudyPhase"

    study = factory.SubFactory(StudyFactory)
    phase = "pre"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class StudySittingFactory(factory.django.DjangoModelFactory):
    """A participant's sitting of a phase of the same study, with the form's questions as its
    items (items=False: none)."""

    class Meta:
        model = "quiz.StudySitting"
        skip_postgeneration_save = True

    phase = factory.SubFactory(StudyPhaseFactory)
    participant = factory.SubFactory(
        StudyParticipantFactory, study=factory.SelfAttribute("..phase.study")
    )
    form = factory.LazyAttribute(lambda o: Study.form_letter(o.participant.order, o.phase.phase))

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        study = self.phase.study
        quiz = study.form_a if self.form == "A" else study.form_b
        for position, item in enumerate(quiz.items.order_by("position", "pk"), start=1):
            SittingItemFactory(sitting=self, question=item.question, position=position)


class SittingItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quiz.SittingItem"

    sitting = factory.SubFactory(StudySittingFactory, items=False)
    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n + 1)
