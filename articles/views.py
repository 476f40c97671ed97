from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.roles import is_teacher
from articles.models import Article
from articles.rendering import body_paragraphs
from articles.selectors import annotation_highlights, article_annotations

WEB_ADDRESS_STARTS = ("https://", "http://")


def _get_article_for_user(request: HttpRequest, slug: str) -> Article:
    """Return the article if the user may read it: published, or a draft they own."""
    article = get_object_or_404(Article.objects.select_related("outlet", "owner"), slug=slug)
    if article.status != Article.Status.PUBLISHED and not _may_edit(request, article):
        raise Http404
    return article


def _may_edit(request: HttpRequest, article: Article) -> bool:
    user = request.user
    return user.is_superuser or (is_teacher(user) and article.owner_id == user.pk)


@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show an article: with its annotations to its owner, as clean text to everyone else."""
    article = _get_article_for_user(request, slug)
    if not article.source_url.lower().startswith(WEB_ADDRESS_STARTS):
        # Only a web address becomes a link. Validation refuses anything else; this keeps a
        # javascript: address that reached the database some other way from being clickable.
        article.source_url = ""
    annotations = []
    highlights = []
    if _may_edit(request, article):
        annotations = list(article_annotations(article=article))
        highlights = annotation_highlights(annotations)
    return render(
        request,
        "articles/detail.html",
        {
            "article": article,
            "annotations": annotations,
            "paragraphs": body_paragraphs(article.body, highlights),
            "may_edit": _may_edit(request, article),
        },
    )
