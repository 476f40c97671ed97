"""From an article's annotations to questions and a quiz: the buttons on an article's admin page.

*Generate questions* adds the missing questions; *Make a quiz* makes a quiz of them and gives
it to a class in one form. The article's admin page (articles/) knows nothing of questions;
its buttons lead here by URL name.
"""

from collections.abc import Iterable

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Annotation, Article
from quiz.forms import ArticleQuizForm, form_submit
from quiz.services.authoring import quiz_from_article_assign
from quiz.services.generation import questions_generate
from quiz.views.access import teacher_required


def articles_questions_generate(request: HttpRequest, articles: Iterable[Article]) -> int:
    """Generate the articles' missing questions and tell the user how many were added."""
    # Questions land with the article's owner, so a superuser helping out generates them
    # into the teacher's space rather than their own.
    added = sum(questions_generate(article=article, owner=article.owner) for article in articles)
    if added:
        messages.success(
            request,
            ngettext("%(count)d question added.", "%(count)d questions added.", added)
            % {"count": added},
        )
    else:
        messages.info(
            request, _("No questions added: every usable annotation already has its questions.")
        )
    return added


@require_POST
@teacher_required
def article_questions_generate(request: HttpRequest, pk: int) -> HttpResponse:
    """Generate the article's missing questions, then go back to its admin page."""
    user = request.user
    article = get_object_or_404(Article.objects.owned_by(user).select_related("owner"), pk=pk)
    if not (user.has_perm("articles.change_article") and user.has_perm("quiz.add_question")):
        raise PermissionDenied
    articles_questions_generate(request, [article])
    return redirect("admin:articles_article_change", article.pk)


# Make a quiz: the article's questions, in a new quiz, given to a class


def _get_article_for_quiz(request: HttpRequest, pk: int) -> Article:
    """The teacher's article, for a teacher who may make questions, quizzes and assignments."""
    user = request.user
    needed = ("quiz.add_question", "quiz.add_quiz", "quiz.add_assignment")
    if not all(user.has_perm(permission) for permission in needed):
        raise PermissionDenied
    return get_object_or_404(Article.objects.owned_by(user).select_related("owner"), pk=pk)


@require_http_methods(["GET", "POST"])
@teacher_required
def article_quiz_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the kinds of question, the class and the dates; make the quiz and assign it."""
    article = _get_article_for_quiz(request, pk)
    form = ArticleQuizForm(
        request.POST if request.method == "POST" else None,
        teacher=request.user,
        article=article,
        initial={"opens_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST":
        assignment = form_submit(
            form, quiz_from_article_assign, article=article, teacher=request.user
        )
        if assignment is not None:
            messages.success(
                request,
                _("“%(quiz)s” is made and assigned to %(class)s.")
                % {"quiz": assignment.quiz.title, "class": assignment.classroom.name},
            )
            return redirect("quiz:assignment_made", pk=assignment.pk)
    statements = article.annotations.exclude(anchor_status=Annotation.Anchor.ORPHANED).count()
    return render(
        request,
        "quiz/authoring/article_quiz.html",
        {
            **admin.site.each_context(request),
            "opts": Article._meta,
            "original": article,
            "title": _("Make a quiz from “%(title)s”") % {"title": article.title},
            "change_url": reverse("admin:articles_article_change", args=[article.pk]),
            "form": form,
            "statements": statements,
            "has_classes": form.fields["classroom"].queryset.exists(),
            "time_zone": timezone.get_current_timezone_name(),
        },
    )
