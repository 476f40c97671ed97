"""Generating questions from articles' annotations: the button on an article's admin page.

The article's admin page (articles/) knows nothing of questions; its button posts here.
"""

from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from articles.models import Article
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
