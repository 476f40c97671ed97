import json
import uuid
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import is_teacher
from articles import services
from articles.forms import AnnotationsImportForm
from articles.models import Annotation, Article
from articles.rendering import body_paragraphs, paragraph_spans
from articles.selectors import annotation_highlights, article_annotations
from articles.w3c.export import annotation_export, annotations_export
from articles.w3c.reading import ImportResult, annotations_file_read, annotations_import
from articles.w3c.vocabulary import vocabulary_document
from config.ids import number_parse

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


# Reviewing an imported text

# The paragraph a plain (no JavaScript) drop removed, for the undo button on the next page.
_UNDO_KEY = "articles_review_undo"


def _get_article_for_editor(request: HttpRequest, pk: int) -> Article:
    """Return the article if the user may change its text: its teacher, or a superuser.

    Anyone else who is no teacher is refused before the article is looked up."""
    if not (request.user.is_superuser or is_teacher(request.user)):
        raise PermissionDenied
    article = Article.objects.filter(pk=pk).select_related("outlet").first()
    if article is None or not _may_edit(request, article):
        raise Http404
    if not request.user.has_perm("articles.change_article"):
        raise PermissionDenied
    return article


def _review_context(request: HttpRequest, article: Article, **extra) -> dict:
    annotated = list(
        article.annotations.exclude(anchor_status=Annotation.Anchor.ORPHANED).values_list(
            "start", "end"
        )
    )
    paragraphs = [
        {
            "start": start,
            "text": article.body[start:end],
            "annotated": any(a_start < end and a_end > start for a_start, a_end in annotated),
        }
        for start, end in paragraph_spans(article.body)
    ]
    return {
        **admin.site.each_context(request),
        "opts": Article._meta,
        "original": article,
        "article": article,
        "title": _("Review the text of “%(title)s”") % {"title": article.title},
        "change_url": reverse("admin:articles_article_change", args=[article.pk]),
        "paragraphs": paragraphs,
        **extra,
    }


def _review_render(request: HttpRequest, article: Article, *, status: int = 200, **extra):
    template = "articles/review.html#review" if request.htmx else "articles/review.html"
    return render(request, template, _review_context(request, article, **extra), status=status)


@require_GET
def article_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an article's paragraphs, each with a button to drop it from the text."""
    article = _get_article_for_editor(request, pk)
    dropped = request.session.pop(_UNDO_KEY, None) if _UNDO_KEY in request.session else None
    if dropped and dropped.pop("article", None) == article.pk:
        return _review_render(request, article, dropped=dropped)
    return _review_render(request, article)


def _paragraph_change(request: HttpRequest, pk: int, *, restore: bool) -> HttpResponse:
    article = _get_article_for_editor(request, pk)
    start = number_parse(request.POST.get("start"))
    text = request.POST.get("text", "")
    review_url = reverse("articles:review", args=[article.pk])
    try:
        if start is None:
            raise ValidationError(_("Which paragraph? Choose one from the list."))
        change = services.article_paragraph_restore if restore else services.article_paragraph_drop
        change(article=article, start=start, text=text)
    except ValidationError as error:
        message = " ".join(error.messages)
        if request.htmx:
            return _review_render(request, article, status=409, error=message)
        messages.error(request, message)
        return HttpResponseRedirect(review_url)
    quote = Truncator(" ".join(text.split())).chars(80)
    if restore:
        done = {"restored": quote}
    else:
        done = {"dropped": {"start": start, "text": text, "quote": quote}}
    if request.htmx:
        return _review_render(request, article, **done)
    if restore:
        messages.success(request, _("Paragraph put back: “%(quote)s”.") % {"quote": quote})
    else:
        # Without JavaScript the undo button comes back with the page, from the session.
        request.session[_UNDO_KEY] = {"article": article.pk, **done["dropped"]}
    return HttpResponseRedirect(review_url)


@require_POST
def article_paragraph_drop(request: HttpRequest, pk: int) -> HttpResponse:
    """Drop one paragraph from the article's text."""
    return _paragraph_change(request, pk, restore=False)


@require_POST
def article_paragraph_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a dropped paragraph back where it was."""
    return _paragraph_change(request, pk, restore=True)


# Bringing annotations in from a W3C Web Annotation file


def import_summary(result: ImportResult) -> str:
    """What an import did, in a sentence or two for the teacher."""
    parts = [
        ngettext("%(count)d annotation added", "%(count)d annotations added", result.annotations)
        % {"count": result.annotations},
        ngettext("%(count)d proposal to review", "%(count)d proposals to review", result.proposals)
        % {"count": result.proposals},
    ]
    if result.skipped:
        parts.append(
            ngettext("%(count)d already here", "%(count)d already here", result.skipped)
            % {"count": result.skipped}
        )
    summary = _("Imported: %(parts)s.") % {"parts": "; ".join(parts)}
    if result.left_out:
        summary += " " + _("Left out, as they mark no words of the article: %(items)s.") % {
            "items": "; ".join(result.left_out)
        }
    return summary


@require_http_methods(["GET", "POST"])
def annotations_import_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a W3C Web Annotation file of the article; nothing is saved if anything is wrong."""
    article = _get_article_for_editor(request, pk)
    posted = request.method == "POST"
    form = AnnotationsImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        upload_too_large=getattr(request, "upload_too_large", False),
    )
    if posted and form.is_valid():
        try:
            data = annotations_file_read(data=form.cleaned_data["file"].read())
            result = annotations_import(article=article, data=data, author=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, import_summary(result))
            return redirect("admin:articles_article_annotations", article.pk)
    context = {
        **admin.site.each_context(request),
        "opts": Article._meta,
        "original": article,
        "title": _("Import annotations"),
        "change_url": reverse("admin:articles_article_change", args=[article.pk]),
        "form": form,
    }
    return render(
        request, "articles/annotations_import.html", context, status=400 if posted else 200
    )


# Proposals from Sourcewise's attribution proposer


@require_POST
def article_proposals_suggest(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the proposer for proposed annotations on the article, and go back to the editor
    with how many are new."""
    article = _get_article_for_editor(request, pk)
    # Proposals are there to become annotations: asking for them is annotating.
    if not request.user.has_perm("articles.add_annotation"):
        raise PermissionDenied
    suggested = services.proposals_suggest_safely(article=article)
    if suggested.error:
        messages.warning(request, suggested.message)
    else:
        messages.success(request, suggested.message)
    editor_url = reverse("admin:articles_article_change", args=[article.pk])
    # New proposals: to their list. None: to the top of the panel, just under the message.
    anchor = "#proposals" if suggested.created else "#annotation-panel"
    return HttpResponseRedirect(editor_url + anchor)


# W3C Web Annotations: the addresses an export names, served to the article's teacher

JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
# What an annotation URL can answer with, the server's preference first: a client that
# accepts anything (curl, a JSON-LD library) gets JSON-LD, a browser the editor. The profile
# is offered with the type so that the Accept header the W3C protocol prescribes matches it
# (Django compares media type parameters); a plain application/ld+json matches it too.
_OFFERED = (JSONLD, "application/json", "text/html")


def _get_article_for_owner(request: HttpRequest, slug: str) -> Article:
    """Return the article if the user may edit it; 404 for anyone else, so nothing leaks."""
    article = get_object_or_404(Article, slug=slug)
    if not _may_edit(request, article):
        raise Http404
    return article


def _jsonld_response(
    request: HttpRequest, document: dict[str, Any], *, filename: str = ""
) -> HttpResponse:
    content_type = JSONLD
    if request.get_preferred_type(_OFFERED) == "application/json":
        content_type = "application/json"
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=content_type
    )
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_vary_headers(response, ["Accept"])
    return response


def _negotiated(request: HttpRequest, *, editor_url: str, document) -> HttpResponse:
    """Answer JSON-LD, or send a browser to the editor; document() builds the JSON-LD."""
    preferred = request.get_preferred_type(_OFFERED)
    if preferred == "text/html":
        response = HttpResponseRedirect(editor_url)
    elif preferred is None:
        response = HttpResponse(
            _("This address serves JSON-LD (%(type)s) or HTML.") % {"type": JSONLD},
            status=406,
            content_type="text/plain; charset=utf-8",
        )
    else:
        return _jsonld_response(request, document())
    patch_vary_headers(response, ["Accept"])
    return response


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").removesuffix("/")


@require_GET
def article_annotations_collection(request: HttpRequest, slug: str) -> HttpResponse:
    """Serve the article's annotations as a W3C AnnotationCollection, or send to the editor."""
    article = _get_article_for_owner(request, slug)
    return _negotiated(
        request,
        editor_url=reverse("admin:articles_article_annotations", args=[article.pk]),
        document=lambda: annotations_export(article=article, base_url=_site_url(request)),
    )


@require_GET
def annotations_file(request: HttpRequest, slug: str) -> HttpResponse:
    """Send the article's annotations collection as a file to save, whatever Accept says."""
    article = _get_article_for_owner(request, slug)
    document = annotations_export(article=article, base_url=_site_url(request))
    return _jsonld_response(request, document, filename=f"{article.slug}-annotations.jsonld")


@require_GET
def annotation_detail(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """Serve one annotation as a W3C Annotation, or send a browser to it in the editor."""
    annotation = get_object_or_404(
        Annotation.objects.select_related("article", "speaker", "author"), uid=uid
    )
    if not _may_edit(request, annotation.article):
        raise Http404
    return _negotiated(
        request,
        editor_url=reverse(
            "admin:articles_article_annotation", args=[annotation.article_id, annotation.pk]
        ),
        document=lambda: annotation_export(annotation=annotation, base_url=_site_url(request)),
    )


@require_GET
def article_text(request: HttpRequest, slug: str) -> HttpResponse:
    """Serve the article's stored text as plain text: what exported offsets count into."""
    article = _get_article_for_user(request, slug)
    response = HttpResponse(article.body, content_type="text/plain; charset=utf-8")
    response["Content-Language"] = article.language
    return response


@login_not_required
@require_GET
def vocabulary(request: HttpRequest) -> JsonResponse:
    """Publish our JSON-LD context and the SKOS concepts its words stand for."""
    return JsonResponse(
        vocabulary_document(),
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
