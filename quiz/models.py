import secrets
from itertools import pairwise

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import IsNull, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import OwnedQuerySet

# Join codes avoid letters and digits that are easy to confuse when read off a projector
# (0/O, 1/I/L, 5/S, 2/Z, 8/B).
JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
# Long enough that guessing one is hopeless at the rate /join/ allows: 25**8 ≈ 1.5e11 codes. A
# client (one address) may make 30 wrong guesses an hour (settings.JOIN_GUESS_RATE_PER_ADDRESS),
# 0.5 a minute. With 1,000 classes open for joining, a guess hits with p = 1,000 / 1.5e11, so a
# hit takes 1.5e8 guesses on average: 5.1e6 hours, about 580 years from one address (7 months
# from 1,000 addresses at once). Codes made before, 7 characters (6.1e9), keep working: 23 years
# from one address; "New code" on the class page replaces one.
JOIN_CODE_LENGTH = 8


def join_code_generate() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class Skill(models.TextChoices):
    ATTRIBUTION = "attribution", _("Attribution")
    CLAIMS = "claims", _("Claims vs facts")
    SOURCING = "sourcing", _("Sourcing")


class Question(models.Model):
    class Kind(models.TextChoices):
        ATTRIBUTION = "attribution", _("Attribution: who says it")
        CLASSIFICATION = "classification", _("Classification: claim, fact or opinion")
        SOURCING = "sourcing", _("Sourcing: what backs it up")
        EVIDENCE = "evidence", _("Evidence: select the words that name the source")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice (written by hand)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    skill = models.CharField(_("skill"), max_length=16, choices=Skill.choices)
    prompt = models.TextField(_("prompt"), help_text=_("The question as the student reads it."))
    statement = models.TextField(
        _("statement"),
        blank=True,
        help_text=_("The quoted statement the question is about, stored when generated."),
    )
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Shown after answering, as the reveal allows.")
    )
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    credit_all = models.BooleanField(
        _("give everyone credit"),
        default=False,
        help_text=_(
            "Every answer counts as right and earns the points, for a question that turned out"
            " unfair. Regrade to apply it to answers already given."
        ),
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
    )
    annotation = models.ForeignKey(
        "articles.Annotation",
        verbose_name=_("annotation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        help_text=_("The annotation it was generated from, if any."),
    )
    # Where the statement and (for evidence questions) the source words were in the body when
    # the question was made. Stored, so later edits never silently change an answered question.
    focus_start = models.PositiveIntegerField(null=True, blank=True)
    focus_end = models.PositiveIntegerField(null=True, blank=True)
    answer_start = models.PositiveIntegerField(null=True, blank=True)
    answer_end = models.PositiveIntegerField(null=True, blank=True)
    answer_exact = models.CharField(_("source words"), max_length=300, blank=True)
    cue = models.CharField(_("cue words"), max_length=100, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "focus_start", "kind", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["annotation", "kind"],
                condition=Q(annotation__isnull=False),
                name="question_one_per_annotation_and_kind",
            ),
            models.CheckConstraint(
                condition=Q(focus_start__isnull=True) | Q(focus_start__lt=F("focus_end")),
                name="question_focus_span_valid",
            ),
            models.CheckConstraint(
                condition=Q(answer_start__isnull=True) | Q(answer_start__lt=F("answer_end")),
                name="question_answer_span_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind="evidence") | Q(answer_start__isnull=False),
                name="question_evidence_has_answer_span",
            ),
        ]

    def __str__(self) -> str:
        text = self.statement or self.prompt
        return f"{self.get_kind_display()}: {text[:70]}"

    @property
    def is_evidence(self) -> bool:
        return self.kind == self.Kind.EVIDENCE

    def counts_right(self, is_correct: bool) -> bool:
        """Whether an answer graded `is_correct` counts as right; all do under credit_all."""
        return self.credit_all or is_correct

    def points_for(self, is_correct: bool) -> int:
        """The points an answer earns: the question's points when right, none when wrong."""
        return self.points if self.counts_right(is_correct) else 0

    @property
    def skill_label(self) -> str:
        """The skill's name, as get_skill_display gives it, without rebuilding the choices."""
        try:
            return Skill(self.skill).label
        except ValueError:
            return self.skill


class Choice(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = models.TextField(
        _("feedback"), blank=True, help_text=_("Shown to a student who picks this choice.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["question_id", "position", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text


class Quiz(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    questions = models.ManyToManyField(
        Question, through="QuizQuestion", related_name="quizzes", verbose_name=_("questions")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="quizzes",
    )
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published quizzes can be assigned.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.title


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="quiz_items")
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["quiz_id", "position", "pk"]
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "question"], name="quiz_question_once"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.position}"


class Classroom(models.Model):
    class ScorePolicy(models.TextChoices):
        BEST = "best", _("Best attempt")
        LATEST = "latest", _("Latest attempt")

    class NotHandedIn(models.TextChoices):
        LEAVE_OUT = "leave_out", _("Left out of the averages")
        ZERO = "zero", _("Counted as 0")

    name = models.CharField(_("name"), max_length=120)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="classes_taught", verbose_name=_("teachers")
    )
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Enrollment",
        related_name="classes_joined",
        verbose_name=_("students"),
    )
    join_code = models.CharField(
        _("join code"), max_length=8, unique=True, default=join_code_generate
    )
    join_open = models.BooleanField(
        _("open for joining"), default=True, help_text=_("Closed: the code no longer works.")
    )
    score_policy = models.CharField(
        _("gradebook score"), max_length=8, choices=ScorePolicy.choices, default=ScorePolicy.BEST
    )
    not_handed_in = models.CharField(
        _("work not handed in"),
        max_length=10,
        choices=NotHandedIn.choices,
        default=NotHandedIn.LEAVE_OUT,
        help_text=_(
            "How the gradebook's averages count an open assignment a student has not handed in."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("quiz:classroom", kwargs={"pk": self.pk})


class Enrollment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="enrollments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["classroom", "student__last_name", "student__first_name", "student__username"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(fields=["classroom", "student"], name="enrollment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"


def assignment_due_for(student, prefix: str = ""):
    """The due time for `student` in SQL (the rule of `Assignment.due_for`): their extension's
    due time when one is set, else the assignment's.

    `student` is a user, an id, or `OuterRef("student")` for the student of an outer row;
    `prefix` reaches the assignment across a relation ("assignment__").
    """
    extended = Extension.objects.filter(
        assignment=OuterRef(f"{prefix}pk"), student=student, due_at__isnull=False
    ).values("due_at")[:1]
    return Coalesce(Subquery(extended), F(f"{prefix}due_at"))


def assignment_closed_q(now, prefix: str = "", student=None) -> Q:
    """Closed by `now`: closed early, or past its due time (`prefix`: across a relation).

    With `student` (see `assignment_due_for`) the due time is theirs, as `Assignment.is_closed`
    with their extension.
    """
    closed_early = Q(**{f"{prefix}closed_at__isnull": False})
    if student is None:
        return closed_early | Q(**{f"{prefix}due_at__lte": now})
    due = assignment_due_for(student, prefix)
    # Both halves, so that no due time is false rather than NULL (which NOT would keep NULL).
    return closed_early | (Q(IsNull(due, False)) & Q(LessThanOrEqual(due, now)))


BOOSTER_DAYS_MAX = 365
BOOSTER_SLOTS_MAX = 5


def booster_days_parse(value: str) -> list[int]:
    """The days after the close that boosters come, from "2,7,21"; ValueError if unreadable."""
    return [int(part) for part in value.replace(" ", "").split(",") if part]


def booster_days_validate(value: str) -> None:
    """Booster spacing: one to five whole days after the close, rising, each 1 to 365."""
    try:
        days = booster_days_parse(value or "")
    except ValueError:
        raise ValidationError(
            _("Write whole days after the close, separated by commas, such as 2,7,21."),
            code="booster_days",
        ) from None
    if not 1 <= len(days) <= BOOSTER_SLOTS_MAX:
        raise ValidationError(
            _("Give between one and %(max)d booster days, such as 2,7,21.")
            % {"max": BOOSTER_SLOTS_MAX},
            code="booster_days",
        )
    if any(not 1 <= day <= BOOSTER_DAYS_MAX for day in days):
        raise ValidationError(
            _("Each booster day must be between 1 and %(max)d days after the close.")
            % {"max": BOOSTER_DAYS_MAX},
            code="booster_days",
        )
    if any(later <= earlier for earlier, later in pairwise(days)):
        raise ValidationError(
            _("Booster days must rise, each later than the one before, such as 2,7,21."),
            code="booster_days",
        )


class AssignmentQuerySet(models.QuerySet):
    def open_now(self, now=None, student=None):
        """Assignments students may answer in at `now`: opened, and neither closed nor due
        (for `student`: by their own due time)."""
        now = now or timezone.now()
        return self.filter(opens_at__lte=now).exclude(assignment_closed_q(now, student=student))


class Assignment(models.Model):
    class Reveal(models.TextChoices):
        AFTER_EACH = "after_each", _("After each question")
        AFTER_ATTEMPT = "after_attempt", _("After the attempt is finished")
        AFTER_DUE = "after_due", _("After the due date")

    classroom = models.ForeignKey(
        Classroom, verbose_name=_("class"), on_delete=models.CASCADE, related_name="assignments"
    )
    quiz = models.ForeignKey(
        Quiz, verbose_name=_("quiz"), on_delete=models.PROTECT, related_name="assignments"
    )
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("closed early"),
        null=True,
        blank=True,
        help_text=_("Set when closed before the due date."),
    )
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), default=1)
    reveal = models.CharField(
        _("reveal answers"), max_length=16, choices=Reveal.choices, default=Reveal.AFTER_EACH
    )
    shuffle_questions = models.BooleanField(
        _("shuffle the questions"),
        default=False,
        help_text=_(
            "Each student gets the questions in an order of their own, kept between visits."
        ),
    )
    shuffle_choices = models.BooleanField(
        _("shuffle the answers"),
        default=False,
        help_text=_("Each student gets each question's answers in an order of their own."),
    )
    boosters = models.BooleanField(
        _("booster practice"),
        default=True,
        help_text=_(
            "After the assignment closes, each student who handed it in gets short practice"
            " sets on their weakest skill."
        ),
    )
    booster_days = models.CharField(
        _("booster spacing"),
        max_length=40,
        default="2,7,21",
        validators=[booster_days_validate],
        help_text=_("Days after the close when each practice set is due, such as 2,7,21."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(attempts_allowed__gte=1), name="assignment_at_least_one_attempt"
            ),
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(due_at__gt=F("opens_at")),
                name="assignment_due_after_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} — {self.classroom}"

    def get_absolute_url(self) -> str:
        return reverse("quiz:assignment", kwargs={"pk": self.pk})

    def booster_offsets(self) -> list[int]:
        """The days after the close when boosters are due ([] when unreadable)."""
        try:
            return booster_days_parse(self.booster_days or "")
        except ValueError:
            return []

    def closes_at(self):
        """When the assignment closed for the class: closed early, else due; None if neither."""
        return self.closed_at or self.due_at

    def due_for(self, extension: "Extension | None" = None):
        """The due time for the student with `extension` (theirs, or None): the extension's
        due time when it sets one, earlier or later, else the assignment's."""
        if extension is not None and extension.due_at is not None:
            return extension.due_at
        return self.due_at

    def is_closed(self, now=None, extension: "Extension | None" = None) -> bool:
        """Closed early, or past its due time (the same rule as `assignment_closed_q`).

        With a student's `extension`, past their due time; closing early closes it for all.
        """
        now = now or timezone.now()
        due = self.due_for(extension)
        return self.closed_at is not None or (due is not None and due <= now)

    def is_open(self, now=None, extension: "Extension | None" = None) -> bool:
        """Students may answer in it now: opened, and neither closed nor due (for the
        student with `extension`, by their own due time)."""
        now = now or timezone.now()
        return self.opens_at <= now and not self.is_closed(now, extension)

    def attempts_allowed_for(self, extension: "Extension | None" = None) -> int:
        """How many attempts the student with `extension` may make: the class's and theirs."""
        return self.attempts_allowed + (extension.extra_attempts if extension else 0)

    def reveals_after_each(self) -> bool:
        return self.reveal == self.Reveal.AFTER_EACH

    def reveals_for(self, attempt, now=None, extension: "Extension | None" = None) -> bool:
        """Whether a finished attempt's answers may be shown now (after the due time: the
        student's own, with their `extension`)."""
        now = now or timezone.now()
        if self.reveal == self.Reveal.AFTER_DUE:
            return self.is_closed(now, extension)
        if self.reveal == self.Reveal.AFTER_ATTEMPT:
            return attempt.submitted_at is not None
        return True


class Extension(models.Model):
    """More time or another attempt for one student on one assignment."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    due_at = models.DateTimeField(
        _("due for this student"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep the assignment's due time."),
    )
    extra_attempts = models.PositiveSmallIntegerField(_("extra attempts"), default=0)
    created_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "student"], name="extension_once_per_student"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} — {self.student}"


class Attempt(models.Model):
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="attempts"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    number = models.PositiveSmallIntegerField(_("attempt number"), default=1)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score = models.PositiveIntegerField(_("score"), default=0)
    max_score = models.PositiveIntegerField(_("out of"), default=0)
    answered = models.PositiveIntegerField(_("answered"), default=0)
    # Responses answered right, per skill of their question: kept with `score` wherever
    # responses are written or regraded, so skill mastery sums three columns instead of
    # looking at every response. The database's default too, for rows written in SQL.
    right_attribution = models.PositiveIntegerField(
        _("right on attribution"),
        default=0,
        db_default=0,
        help_text=_("Responses answered right to attribution questions."),
    )
    right_claims = models.PositiveIntegerField(
        _("right on claims vs facts"),
        default=0,
        db_default=0,
        help_text=_("Responses answered right to claims-vs-facts questions."),
    )
    right_sourcing = models.PositiveIntegerField(
        _("right on sourcing"),
        default=0,
        db_default=0,
        help_text=_("Responses answered right to sourcing questions."),
    )

    class Meta:
        ordering = ["assignment_id", "student_id", "number"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "student", "number"], name="attempt_number_once"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="attempt_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.assignment} (#{self.number})"

    def get_absolute_url(self) -> str:
        return reverse("quiz:attempt", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.submitted_at is not None

    @staticmethod
    def right_field(skill: str) -> str:
        """The counter of right answers for a skill: "claims" is kept in `right_claims`."""
        return f"right_{Skill(skill).value}"

    @classmethod
    def totals_added(cls, *, points: int, is_correct: bool, skill: str) -> dict:
        """What one new response adds to its attempt's running totals, as UPDATE expressions.

        The totals are the score, the answers given and the right answers per skill; a recount
        from the stored responses (quiz.services.authoring.attempt_totals_recount) agrees.
        """
        added = {"score": F("score") + points, "answered": F("answered") + 1}
        if is_correct:
            right = cls.right_field(skill)
            added[right] = F(right) + 1
        return added


class Response(models.Model):
    # No index of its own: "response_once" (attempt, question) serves lookups by attempt, and
    # one index fewer is less work for every answer stored.
    attempt = models.ForeignKey(
        Attempt,
        verbose_name=_("attempt"),
        on_delete=models.CASCADE,
        related_name="responses",
        db_index=False,
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="responses"
    )
    choice = models.ForeignKey(
        Choice,
        verbose_name=_("choice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
    )
    selected_start = models.PositiveIntegerField(null=True, blank=True)
    selected_end = models.PositiveIntegerField(null=True, blank=True)
    is_correct = models.BooleanField(_("correct"))
    points = models.PositiveIntegerField(_("points"), default=0)
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        ordering = ["attempt_id", "answered_at", "pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="response_once"),
            models.CheckConstraint(
                condition=Q(choice__isnull=False)
                | Q(selected_start__isnull=False, selected_end__isnull=False),
                name="response_has_an_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} — {self.question_id}"


class Booster(models.Model):
    """A short practice set for one student, due some days after an assignment closed."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="boosters",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        # Not "boosters": that is the assignment's switch for booster practice.
        related_name="booster_sets",
    )
    slot = models.PositiveSmallIntegerField(
        _("slot"), help_text=_("Which of the assignment's booster days, from 1.")
    )
    due_at = models.DateTimeField(_("due"))
    skill = models.CharField(
        _("skill"),
        max_length=16,
        choices=Skill.choices,
        help_text=_("The weakest skill it targets."),
    )
    level = models.SmallIntegerField(
        _("level"), default=0, help_text=_("Difficulty step, -2 (easier) to 2 (harder).")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("booster")
        verbose_name_plural = _("boosters")
        constraints = [
            models.UniqueConstraint(fields=["student", "assignment", "slot"], name="booster_once"),
            models.CheckConstraint(condition=Q(slot__gte=1), name="booster_slot_positive"),
            models.CheckConstraint(
                condition=Q(level__gte=-2, level__lte=2), name="booster_level_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.assignment} (booster {self.slot})"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class AnsweredItem(models.Model):
    """A question put to a student outside a quiz's attempt (a practice set's, a study test's)
    and, once answered, the answer: its fields are named as in `Response`, so the question
    stage and the answer service take an item for one."""

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(_("position"))
    choice = models.ForeignKey(
        Choice, verbose_name=_("choice"), on_delete=models.SET_NULL, null=True, blank=True
    )
    selected_start = models.PositiveIntegerField(null=True, blank=True)
    selected_end = models.PositiveIntegerField(null=True, blank=True)
    is_correct = models.BooleanField(_("correct"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @staticmethod
    def progress() -> dict:
        """Annotations of a set of items (a booster, a sitting): `item_count` and
        `answered_count`, for `.annotate(**AnsweredItem.progress())`."""
        return {
            "item_count": Count("items", distinct=True),
            "answered_count": Count(
                "items", filter=Q(items__answered_at__isnull=False), distinct=True
            ),
        }


class BoosterItem(AnsweredItem):
    """One question of a booster and, once answered, the answer."""

    booster = models.ForeignKey(
        Booster, verbose_name=_("booster"), on_delete=models.CASCADE, related_name="items"
    )

    class Meta(AnsweredItem.Meta):
        verbose_name = _("booster item")
        verbose_name_plural = _("booster items")
        constraints = [
            models.UniqueConstraint(fields=["booster", "question"], name="booster_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.booster} #{self.position}"


class Study(models.Model):
    """A class's study of what it learned: a pre-test, practice, a post-test and perhaps a
    retention test, on two parallel forms given in counterbalanced orders."""

    class Phase(models.TextChoices):
        PRE = "pre", _("Pre-test")
        POST = "post", _("Post-test")
        RETENTION = "retention", _("Retention test")

    class Order(models.TextChoices):
        AB = "AB", _("Form A first")
        BA = "BA", _("Form B first")

    class Form(models.TextChoices):
        A = "A", _("Form A")
        B = "B", _("Form B")

    classroom = models.ForeignKey(
        Classroom, verbose_name=_("class"), on_delete=models.CASCADE, related_name="studies"
    )
    title = models.CharField(_("title"), max_length=200)
    form_a = models.ForeignKey(
        Quiz,
        verbose_name=_("form A"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("One of the two parallel tests."),
    )
    form_b = models.ForeignKey(
        Quiz,
        verbose_name=_("form B"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The other parallel test: the same skills and kinds of question."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        constraints = [
            models.CheckConstraint(condition=~Q(form_a=F("form_b")), name="study_forms_differ"),
        ]

    def __str__(self) -> str:
        return self.title

    # The form each order takes at each phase: A, B, A or B, A, B.
    FORMS = {
        Order.AB: {Phase.PRE: Form.A, Phase.POST: Form.B, Phase.RETENTION: Form.A},
        Order.BA: {Phase.PRE: Form.B, Phase.POST: Form.A, Phase.RETENTION: Form.B},
    }

    @classmethod
    def form_letter(cls, order: str, phase: str) -> str:
        """The form ("A" or "B") a participant in `order` takes at `phase`."""
        return cls.FORMS[cls.Order(order)][cls.Phase(phase)]

    def form_for(self, order: str, phase: str) -> Quiz:
        """The quiz a participant in `order` takes at `phase` (AB: A, B, A; BA: B, A, B)."""
        return self.form_a if self.form_letter(order, phase) == self.Form.A else self.form_b


class StudyPractice(models.Model):
    """An ordinary assignment the study counts as its practice."""

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="practice_links"
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="study_links",
    )

    class Meta:
        ordering = ["study_id", "pk"]
        verbose_name = _("study practice")
        verbose_name_plural = _("study practice")
        constraints = [
            models.UniqueConstraint(fields=["study", "assignment"], name="study_practice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.study} — {self.assignment}"


class StudyParticipant(models.Model):
    """A student in a study: their order of the forms, drawn at random, and a pseudonym."""

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="participants"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="study_participations",
    )
    order = models.CharField(
        _("order"),
        max_length=2,
        choices=Study.Order.choices,
        help_text=_("AB: form A at the pre-test, B at the post-test; BA: B, then A."),
    )
    pseudonym = models.CharField(
        _("pseudonym"),
        max_length=12,
        help_text=_("Random, unique in the study; names the student in exports."),
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["study_id", "pk"]
        verbose_name = _("study participant")
        verbose_name_plural = _("study participants")
        constraints = [
            models.UniqueConstraint(fields=["study", "student"], name="study_participant_once"),
            models.UniqueConstraint(fields=["study", "pseudonym"], name="study_pseudonym_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.pseudonym} in {self.study}"


class StudyPhase(models.Model):
    """A test of the study the teacher opened: the pre-test, post-test or retention test."""

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="phases"
    )
    phase = models.CharField(_("phase"), max_length=9, choices=Study.Phase.choices)
    opens_at = models.DateTimeField(_("opens"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)

    class Meta:
        ordering = ["study_id", "opens_at", "pk"]
        verbose_name = _("study phase")
        verbose_name_plural = _("study phases")
        constraints = [
            models.UniqueConstraint(fields=["study", "phase"], name="study_phase_once"),
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(due_at__gt=F("opens_at")),
                name="study_phase_due_after_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.study} — {self.get_phase_display()}"

    def is_open(self, now=None) -> bool:
        """Students may answer in it now: opened, and not yet due."""
        now = now or timezone.now()
        return self.opens_at <= now and (self.due_at is None or now < self.due_at)


class StudySitting(models.Model):
    """One participant's test at one phase, on the form their order gives them."""

    phase = models.ForeignKey(
        StudyPhase, verbose_name=_("phase"), on_delete=models.CASCADE, related_name="sittings"
    )
    participant = models.ForeignKey(
        StudyParticipant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="sittings",
    )
    form = models.CharField(_("form"), max_length=1, choices=Study.Form.choices)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["phase_id", "participant_id"]
        verbose_name = _("study sitting")
        verbose_name_plural = _("study sittings")
        constraints = [
            models.UniqueConstraint(fields=["phase", "participant"], name="study_sitting_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.phase}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class SittingItem(AnsweredItem):
    """One question of a sitting and, once answered, the answer."""

    sitting = models.ForeignKey(
        StudySitting, verbose_name=_("sitting"), on_delete=models.CASCADE, related_name="items"
    )

    class Meta(AnsweredItem.Meta):
        verbose_name = _("sitting item")
        verbose_name_plural = _("sitting items")
        constraints = [
            models.UniqueConstraint(fields=["sitting", "question"], name="sitting_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.sitting} #{self.position}"
