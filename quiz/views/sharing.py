"""Sharing a quiz or an annotated article with another teacher, and what others shared.

Every view is for teachers only. A quiz or article is loaded through a helper that filters by
what the teacher owns, so anything else is a 404 and its existence does not leak. The
recipient is picked from a list of the other teachers, never typed, so no one can probe for
usernames.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from articles.models import Article
from quiz.models import Quiz
from quiz.selectors import sharing as selectors
from quiz.services import sharing as services
from quiz.services.roster import display_name
from quiz.views.access import teacher_required


class TeacherChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class ShareForm(forms.Form):
    recipient = TeacherChoiceField(
        label=gettext_lazy("Teacher"),
        queryset=None,
        empty_label=gettext_lazy("Choose a teacher"),
        help_text=gettext_lazy("They get a copy of their own to change; yours stays as it is."),
    )

    def __init__(self, *args, sender, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = selectors.share_recipients(sender=sender)


# What a teacher can share, by the `kind` its URL gives: the model (filtered to what the
# teacher owns, so anything else is a 404), the service that copies it, and what is said after.
SHAREABLE = {
    "quiz": (
        Quiz,
        services.quiz_share,
        gettext_lazy(
            "%(name)s now has a copy of “%(title)s” with its questions and articles, "
            "unpublished, to change as they like."
        ),
    ),
    "article": (
        Article,
        services.article_share,
        gettext_lazy(
            "%(name)s now has a copy of “%(title)s” with its sources and annotations, "
            "as a draft, to change as they like."
        ),
    ),
}


@require_http_methods(["GET", "POST"])
@teacher_required
def share(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Give another teacher a copy of a quiz (with its questions and their articles) or of an
    article (with its sources and annotations): the form, or the share and what it did."""
    model, share_copy, done = SHAREABLE[kind]
    thing = get_object_or_404(model.objects.owned_by(request.user), pk=pk)
    form = ShareForm(request.POST if request.method == "POST" else None, sender=request.user)
    if request.method == "POST" and form.is_valid():
        recipient = form.cleaned_data["recipient"]
        try:
            share_copy(**{kind: thing}, sender=request.user, recipient=recipient)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done % {"title": str(thing), "name": display_name(recipient)})
            return redirect("quiz:teach_sharing")
    return render(
        request,
        "quiz/teach/share.html",
        {"form": form, "thing": thing, "kind": kind},
    )


@require_GET
@teacher_required
def sharing(request: HttpRequest) -> HttpResponse:
    """What other teachers shared with you, and your quizzes and articles to share."""
    shared = selectors.shared_with(teacher=request.user)
    if request.htmx:
        # The dashboard's list, loaded into its page.
        return render(request, "quiz/teach/sharing.html#shared-with-you", {"shared": shared})
    return render(
        request,
        "quiz/teach/sharing.html",
        {
            "shared": shared,
            "quizzes": selectors.quizzes_to_share(teacher=request.user),
            "articles": selectors.articles_to_share(teacher=request.user),
        },
    )
