from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import UsernameField
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from quiz.models import Assignment, Classroom, Quiz


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Class code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("The code your teacher gave you, like KM7QX4T."),
    )


class SignupJoinForm(JoinForm):
    """Join a class with a new account: a name, a username and a password; no email."""

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

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("That username is taken. Try another."))
        return username

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

    def __init__(self, *args, teacher, current_quiz: Quiz | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        quizzes = Quiz.objects.owned_by(teacher).filter(published=True)
        if current_quiz is not None:
            quizzes = Quiz.objects.filter(Q(pk__in=quizzes.values("pk")) | Q(pk=current_quiz.pk))
        self.fields["quiz"].queryset = quizzes.order_by("title", "pk")


class ReopenForm(forms.Form):
    due_at = forms.DateTimeField(
        label=_("New due time"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Needed when the old due time has passed."),
    )

