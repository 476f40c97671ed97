from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import UsernameField
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Annotation, Article
from articles.text import nearest_occurrence, quote_occurrences
from config.ids import IdModelChoiceField
from quiz.models import (
    Assignment,
    Classroom,
    Question,
    Quiz,
    Skill,
    Study,
    booster_days_validate,
)
from quiz.selectors.classes import classrooms_taught
from quiz.services.assignments import EXTENSION_MAX_EXTRA_ATTEMPTS
from quiz.services.authoring import ARTICLE_QUIZ_KINDS

# The spacing a new assignment's boosters take unless the teacher gives another: the model's.
BOOSTER_DAYS_DEFAULT = Assignment._meta.get_field("booster_days").default


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Class code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("The code your teacher gave you, like KM7QX4TC."),
    )


class SignupJoinForm(JoinForm):
    """Join a class with a new account: a name, a username and a password; no email.

    Whether the username is taken is not checked here but by the sign-up service, after the
    class code: nobody without a valid code learns which usernames exist.
    """

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    username = UsernameField(
        label=_("Choose a username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only. You will log in with it."),
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif password1:
            user = get_user_model()(
                username=cleaned.get("username", ""), first_name=cleaned.get("first_name", "")
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


# Teachers


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's own date-and-time picker; the value is read in the site's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ClassroomForm(forms.Form):
    name = forms.CharField(
        label=_("Class name"),
        max_length=120,
        help_text=_("As your students will see it, like “7B News literacy”."),
    )
    score_policy = forms.ChoiceField(
        label=_("Gradebook score"),
        choices=Classroom.ScorePolicy.choices,
        initial=Classroom.ScorePolicy.BEST,
        help_text=_("Which attempt counts when students may try more than once."),
    )
    not_handed_in = forms.ChoiceField(
        label=_("Work not handed in"),
        choices=Classroom.NotHandedIn.choices,
        initial=Classroom.NotHandedIn.LEAVE_OUT,
        required=False,
        help_text=_(
            "In the gradebook's averages and each student's overall: leave out an assignment a "
            "student has not handed in, or count it as 0 once it has opened."
        ),
    )


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Class list (CSV file)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_(
            "A header row, then one student a line. Columns “First name” and “Last name”, "
            "or one “Name” column. Saved from a spreadsheet as CSV (UTF-8), at most 1 MB."
        ),
    )

    def __init__(self, *args, upload_too_large: bool = False, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        # The site's upload handler stops a huge upload while it arrives and drops the file;
        # say why instead of asking for a file.
        self.upload_too_large = upload_too_large
        self.max_bytes = max_bytes
        self.fields["file"].required = not upload_too_large

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # Judged by the size the upload reports, before a byte of it is read.
        if self.upload_too_large or (upload is not None and upload.size > self.max_bytes):
            raise forms.ValidationError(
                _("The file is larger than 1 MB. A class list is much smaller: check the file.")
            )
        return upload


class AssignmentForm(forms.Form):
    quiz = forms.ModelChoiceField(
        label=_("Quiz"),
        queryset=Quiz.objects.none(),
        empty_label=None,
        help_text=_("Your published quizzes. Write and publish quizzes in the authoring area."),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"),
        widget=DateTimeLocalInput(),
        help_text=_("Students can start from this time."),
    )
    due_at = forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("No answers are accepted after this time. Leave empty for no due time."),
    )
    attempts_allowed = forms.IntegerField(
        label=_("Attempts allowed"), min_value=1, max_value=20, initial=1
    )
    reveal = forms.ChoiceField(
        label=_("Show the answers"),
        choices=Assignment.Reveal.choices,
        initial=Assignment.Reveal.AFTER_EACH,
    )
    shuffle_questions = forms.BooleanField(
        label=_("Shuffle the questions"),
        required=False,
        help_text=_(
            "Each student gets the questions in an order of their own, the same on every "
            "visit. Reports keep the quiz's order."
        ),
    )
    shuffle_choices = forms.BooleanField(
        label=_("Shuffle the answers"),
        required=False,
        help_text=_("Each student gets each question's answers in an order of their own."),
    )
    boosters = forms.BooleanField(
        label=_("Booster practice"),
        required=False,
        initial=True,
        help_text=_(
            "After the assignment closes, each student who handed it in gets a few short "
            "practice sets on their weakest skill, on the days below."
        ),
    )
    booster_days = forms.CharField(
        label=_("Days after the close"),
        max_length=40,
        required=False,
        initial=BOOSTER_DAYS_DEFAULT,
        validators=[booster_days_validate],
        help_text=_(
            "When each practice set is due, in days after the assignment closes, separated by "
            "commas: 2,7,21 is two days, a week and three weeks after."
        ),
    )

    def __init__(self, *args, teacher, current_quiz: Quiz | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booster_days"].widget.attrs["inputmode"] = "numeric"
        quizzes = Quiz.objects.owned_by(teacher).filter(published=True)
        if current_quiz is not None:
            quizzes = Quiz.objects.filter(Q(pk__in=quizzes.values("pk")) | Q(pk=current_quiz.pk))
        self.fields["quiz"].queryset = quizzes.order_by("title", "pk")

    @classmethod
    def for_new(cls, data, *, teacher) -> "AssignmentForm":
        """The form for a new assignment, opening now (to the minute) unless changed."""
        return cls(
            data,
            teacher=teacher,
            initial={"opens_at": timezone.localtime().replace(second=0, microsecond=0)},
        )

    def clean_booster_days(self) -> str:
        """The spacing as "2,7,21" (spaces dropped); left empty, the usual spacing."""
        days = self.cleaned_data["booster_days"].replace(" ", "")
        return days or BOOSTER_DAYS_DEFAULT


class ArticleQuizForm(AssignmentForm):
    """Make a quiz of an article's questions and give it to a class, in one go.

    The assignment form's times, attempts and reveal, with the quiz's title, the kinds of
    question and the class in place of a quiz to pick.
    """

    title = forms.CharField(label=_("Quiz title"), max_length=200)
    kinds = forms.MultipleChoiceField(
        label=_("Questions to ask"),
        choices=[(kind, Question.Kind(kind).label) for kind in ARTICLE_QUIZ_KINDS],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "radiolist"}),  # the admin's list
        help_text=_(
            "About every annotated statement, in the article's order. A statement is asked "
            "who said it once, by evidence or by attribution in turn, as one answers the other."
        ),
    )
    classroom = forms.ModelChoiceField(
        label=_("Class"), queryset=Classroom.objects.none(), empty_label=None
    )

    QUIZ_FIELDS = ("title", "kinds")
    field_order = [*QUIZ_FIELDS, "classroom"]

    def __init__(self, *args, teacher, article: Article, **kwargs):
        kwargs["initial"] = {
            "title": article.title,
            "kinds": list(ARTICLE_QUIZ_KINDS),
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, teacher=teacher, **kwargs)
        del self.fields["quiz"]  # made from the article
        self.fields["classroom"].queryset = classrooms_taught(teacher=teacher).order_by(
            "name", "pk"
        )

    def quiz_fields(self) -> list[forms.BoundField]:
        """The quiz's fields, shown apart from the assignment's."""
        return [self[name] for name in self.QUIZ_FIELDS]

    def assignment_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.QUIZ_FIELDS]


class StudentAddForm(forms.Form):
    """One student by hand: the roster's short form."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        required=False,
        help_text=_("Leave it empty and one is made from the name, like amarao27."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="add_%s", **kwargs)
        for name in self.fields:
            self.fields[name].widget.attrs["autocomplete"] = "off"


def new_due_time_field(help_text) -> forms.DateTimeField:
    """A due time to replace the one set, in the teacher's time zone; it may be left empty."""
    return forms.DateTimeField(
        label=_("New due time"), required=False, widget=DateTimeLocalInput(), help_text=help_text
    )


class ExtensionForm(forms.Form):
    """More time or attempts for one student (services.extension_grant checks the values)."""

    due_at = new_due_time_field(_("Leave empty to keep the class's due time."))
    extra_attempts = forms.IntegerField(
        label=_("Extra attempts"),
        required=False,
        min_value=0,
        max_value=EXTENSION_MAX_EXTRA_ATTEMPTS,
        initial=0,
    )


class ReopenForm(forms.Form):
    due_at = new_due_time_field(_("Needed when the old due time has passed."))


# Studies


class StudyForm(forms.Form):
    """A new study: its title and the two parallel forms, from the teacher's published quizzes."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For you: students see only “Pre-test”, “Post-test” or “Retention test”."),
    )
    form_a = forms.ModelChoiceField(
        label=_("Form A"),
        queryset=Quiz.objects.none(),
        help_text=_("One of two parallel tests: a published quiz on one article."),
    )
    form_b = forms.ModelChoiceField(
        label=_("Form B"),
        queryset=Quiz.objects.none(),
        help_text=_(
            "The other test: another article, the same skills and kinds of question. Half the "
            "class takes A first and B after, the other half B then A."
        ),
    )

    def __init__(self, *args, teacher, **kwargs):
        super().__init__(*args, **kwargs)
        quizzes = Quiz.objects.owned_by(teacher).filter(published=True).order_by("title", "pk")
        self.fields["form_a"].queryset = quizzes
        self.fields["form_b"].queryset = quizzes


class PhaseForm(forms.Form):
    """Open one of a study's tests: now, or from a time, until a due time if any."""

    phase = forms.ChoiceField(choices=Study.Phase.choices, widget=forms.HiddenInput)
    opens_at = forms.DateTimeField(
        label=_("Opens"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Leave empty to open it now."),
    )
    due_at = forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("No answers are taken after this time. Leave empty for no due time."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        phase = self.initial.get("phase") or self.data.get(self.add_prefix("phase"), "")
        # One form per test on the page: each field's id names its test.
        self.auto_id = f"id_{phase}_%s" if phase in Study.Phase.values else "id_%s"

    def clean_opens_at(self):
        return self.cleaned_data["opens_at"] or timezone.now()

    def clean(self):
        cleaned = super().clean()
        opens, due = cleaned.get("opens_at"), cleaned.get("due_at")
        if opens and due and due <= opens:
            self.add_error("due_at", _("The due time must come after the test opens."))
        return cleaned


class StudyPracticeForm(forms.Form):
    """Count one of the class's assignments as the study's practice."""

    assignment = forms.ModelChoiceField(
        label=_("Assignment"),
        queryset=Assignment.objects.none(),
        empty_label=None,
        help_text=_("An assignment of this class that students do between the tests."),
    )

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignment"]
        field.queryset = (
            study.classroom.assignments.select_related("quiz")
            .exclude(study_links__study=study)
            .order_by("-opens_at", "pk")
        )
        field.label_from_instance = lambda assignment: (
            _("%(quiz)s (opens %(date)s)")
            % {
                "quiz": assignment.quiz.title,
                "date": f"{timezone.localtime(assignment.opens_at):%Y-%m-%d}",
            }
        )


# Authoring


class QuestionForm(forms.ModelForm):
    """A question, with the source words an evidence question is graded against.

    The words are found in the article's text next to the statement, so the teacher types
    them rather than offsets.
    """

    class Meta:
        model = Question
        fields = [
            "kind",
            "skill",
            "article",
            "prompt",
            "statement",
            "answer_exact",
            "explanation",
            "points",
            "owner",
        ]
        labels = {"answer_exact": _("Words that name the source")}
        help_texts = {
            "answer_exact": _(
                "Evidence questions only: the words in the article that tell where the "
                "statement comes from, copied exactly. A student's selection is graded "
                "against them."
            )
        }

    def clean(self):
        cleaned = super().clean()
        article: Article | None = cleaned.get("article")
        body = article.body if article else ""
        instance = self.instance
        statement = cleaned.get("statement") or ""
        focus = None
        if article and statement:
            focus = self._span_kept("focus", article, statement)
            if focus is None:
                starts = quote_occurrences(body, statement)
                focus = (starts[0], starts[0] + len(statement)) if starts else None
        instance.focus_start, instance.focus_end = focus or (None, None)

        words = (cleaned.get("answer_exact") or "").strip()
        answer = None
        if words and not article:
            self.add_error("answer_exact", _("Source words need an article to be found in."))
        elif words:
            answer = self._span_kept("answer", article, words)
            if answer is None:
                near = focus or (0, 0)
                answer = nearest_occurrence(body, words, start=near[0], end=near[1])
                if answer is None:
                    self.add_error(
                        "answer_exact",
                        _("These words are not in the article. Copy them exactly from its text."),
                    )
        if cleaned.get("kind") == Question.Kind.EVIDENCE and answer is None and not words:
            self.add_error(
                "answer_exact",
                _(
                    "An evidence question needs the words that name the source, so a "
                    "student's selection can be graded."
                ),
            )
        instance.answer_start, instance.answer_end = answer or (None, None)
        cleaned["answer_exact"] = words if answer else ""
        return cleaned

    def _span_kept(self, name: str, article: Article, text: str) -> tuple[int, int] | None:
        """The question's `name` span as saved, while its article and its words are unchanged.

        Kept rather than found again, so a statement that occurs twice keeps the occurrence
        it was made from.
        """
        instance = self.instance
        start, end = getattr(instance, f"{name}_start"), getattr(instance, f"{name}_end")
        unchanged = (
            instance.pk
            and instance.article_id == article.pk
            and start is not None
            and article.body[start:end] == text
        )
        return (start, end) if unchanged else None


class QuizAddForm(forms.ModelForm):
    """A new quiz in the admin, which may start with all the questions of one article.

    The admin sets `article_owner` (the teacher asking) on a subclass for each request, so
    the article list is theirs.
    """

    article_owner = None

    from_article = forms.ModelChoiceField(
        label=_("Add all questions from this article"),
        queryset=Article.objects.none(),
        required=False,
        empty_label=_("None: pick questions below or in the builder"),
        help_text=_(
            "Its annotated statements' questions, generated if needed, in the article's order. "
            "Save, and fine-tune them in the builder."
        ),
    )

    class Meta:
        model = Quiz
        fields = ["title", "description", "published", "owner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.article_owner is not None:
            self.fields["from_article"].queryset = Article.objects.owned_by(
                self.article_owner
            ).order_by("title", "pk")

    def clean_from_article(self):
        article = self.cleaned_data.get("from_article")
        if (
            article is not None
            and not article.annotations.exclude(anchor_status=Annotation.Anchor.ORPHANED).exists()
        ):
            raise ValidationError(
                _("“%(title)s” has no annotated statements to ask about yet. Annotate it first."),
                params={"title": article.title},
            )
        return article


class QuizBuilderFilterForm(forms.Form):
    """Narrow the questions the quiz builder offers to add."""

    prefix = "builder"

    article = IdModelChoiceField(
        label=_("Article"), queryset=Article.objects.none(), required=False, empty_label=_("All")
    )
    skill = forms.ChoiceField(
        label=_("Skill"), choices=[("", _("All")), *Skill.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *Question.Kind.choices], required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = Article.objects.owned_by(user).only("pk", "title")

    def apply(self, questions):
        if not self.is_bound or not self.is_valid():
            return questions
        data = self.cleaned_data
        if data.get("article"):
            questions = questions.filter(article=data["article"])
        if data.get("skill"):
            questions = questions.filter(skill=data["skill"])
        if data.get("kind"):
            questions = questions.filter(kind=data["kind"])
        return questions

    def as_hidden_inputs(self) -> list[tuple[str, str]]:
        """The current filters, to carry along in the builder's other forms."""
        if not self.is_bound:
            return []
        return [
            (self[name].html_name, self.data.get(self[name].html_name, ""))
            for name in self.fields
            if self.data.get(self[name].html_name)
        ]


def service_errors_add(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal on the form field it is about (the field it is filed under, or
    its code), or on the whole form."""
    filed = error.error_dict.items() if hasattr(error, "error_dict") else [(None, [error])]
    for key, errors in filed:
        for item in ValidationError(errors).error_list:
            field = next((name for name in (key, item.code) if name in form.fields), None)
            for message in item.messages:
                form.add_error(field, message)


def form_submit(form: forms.Form, service, **arguments):
    """What `service` returns for a valid form (its fields and `arguments` as keyword
    arguments); None when the form is invalid or the service refuses, the refusal then on the
    form (`service_errors_add`) to show beside what the teacher typed."""
    if not form.is_valid():
        return None
    try:
        return service(**arguments, **form.cleaned_data)
    except ValidationError as error:
        service_errors_add(form, error)
        return None
