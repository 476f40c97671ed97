from functools import wraps

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import importing, services
from articles.forms import (
    AnnotationForm,
    AnnotationPanelForm,
    AnnotationRelocateForm,
    ArticleImportForm,
    LabelledInlineFormSet,
    ProposalsAcceptForm,
)
from articles.models import Annotation, AnnotationProposal, Article, Outlet, Source
from articles.rendering import Highlight, body_paragraphs, paragraph_spans
from articles.text import unannotated_sentences
from config.ids import id_parse, number_parse

PANEL_TEMPLATE = "admin/articles/article/annotate.html"
PANEL_PARAGRAPH_IDS = "annotate-p"  # the panel's paragraphs are #annotate-p<start offset>
FLAGGED = (Annotation.Anchor.FUZZY, Annotation.Anchor.ORPHANED)


class OwnedArticlesMixin:
    """Scope an admin to the articles the requesting teacher owns (superusers see all)."""

    article_lookup = "article__owner"

    def owned_articles(self, request: HttpRequest):
        return Article.objects.owned_by(request.user)

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.article_lookup: request.user})


class OwnedArticleFilter(admin.RelatedFieldListFilter):
    """Filter by article, offering only the articles the teacher owns."""

    def field_choices(self, field, request, model_admin):
        return [
            (article.pk, str(article))
            for article in Article.objects.owned_by(request.user).only("pk", "title")
        ]


URL_FIELDS = {models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}}


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "url"]
    search_fields = ["name"]


class SourceInline(admin.TabularInline):
    model = Source
    formset = LabelledInlineFormSet
    extra = 0
    fields = ["name", "description", "kind"]


@admin.register(Source)
class SourceAdmin(OwnedArticlesMixin, admin.ModelAdmin):
    list_display = ["name", "description", "kind", "article"]
    list_select_related = ["article"]
    search_fields = ["name", "description"]
    fields = ["article", "name", "description", "kind"]

    def get_list_filter(self, request):
        return ["kind", ("article", OwnedArticleFilter)]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["queryset"] = self.owned_articles(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _panel_post_about(lookup: str, action: str):
    """For a panel endpoint that acts on one item of an article (found by the admin's
    `lookup` method): the view gets the article and the item, on a POST by someone who may
    change the article and `action` its annotations; a GET goes back to the panel. A refusal
    from the services is shown in the panel."""

    def decorator(view):
        @wraps(view)
        def wrapper(
            model_admin: "ArticleAdmin", request: HttpRequest, object_id: str, **ids: int
        ) -> HttpResponse:
            # The URL names the item's id after what it is: annotation_id, proposal_id.
            (item_id,) = ids.values()
            article = model_admin._article_for(request, object_id, change=True)
            if request.method != "POST":
                return HttpResponseRedirect(model_admin._panel_url(article))
            model_admin._check_annotation_permission(request, action)
            item = getattr(model_admin, lookup)(article, item_id)
            try:
                return view(model_admin, request, article, item)
            except ValidationError as error:
                return model_admin._panel_refusal(request, article, error)

        return wrapper

    return decorator


_changes_one_annotation = _panel_post_about("_annotation_for", "change")
# Reviewing a proposal is annotating: accepting one adds an annotation.
_reviews_one_proposal = _panel_post_about("_proposal_for", "add")


@admin.register(Article)
class ArticleAdmin(OwnedArticlesMixin, admin.ModelAdmin):
    """Articles, with the annotation panel on each article's page.

    The panel's endpoints answer htmx with the panel alone and a plain request with a full
    page (GET) or a redirect back to the article (POST), so it works without JavaScript.
    """

    article_lookup = "owner"
    formfield_overrides = URL_FIELDS
    list_display = [
        "title",
        "outlet",
        "status",
        "annotation_count",
        "flagged_count",
        "proposal_count",
        "updated_at",
    ]
    list_filter = [
        "status",
        "annotations__anchor_status",
        ("outlet", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "standfirst", "byline", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["body_sha256", "created_at", "updated_at"]
    inlines = [SourceInline]
    fieldsets = [
        (None, {"fields": ["title", "standfirst", "slug", "status", "owner"]}),
        (
            _("Where it comes from"),
            {"fields": ["outlet", "byline", "published_on", "source_url", "language"]},
        ),
        (
            _("Text"),
            {
                "fields": ["body"],
                "description": _(
                    "Editing the text re-anchors every annotation: moved ones follow their "
                    "words; ones that can no longer be found are flagged."
                ),
            },
        ),
        (_("Record"), {"fields": ["body_sha256", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("outlet")
            .annotate(
                _annotation_count=Count("annotations"),
                _flagged_count=Count(
                    "annotations", filter=Q(annotations__anchor_status__in=FLAGGED)
                ),
                # A subquery: joined beside the annotations, each would count once per other.
                _proposal_count=Coalesce(
                    Subquery(
                        AnnotationProposal.objects.filter(
                            article=OuterRef("pk"), status=AnnotationProposal.Status.PENDING
                        )
                        .order_by()
                        .values("article")
                        .annotate(count=Count("pk"))
                        .values("count")
                    ),
                    0,
                ),
            )
            # Ordered explicitly: a grouped query drops the model's default ordering.
            .order_by(*Article._meta.ordering, "pk")
        )

    @admin.display(description=_("annotations"), ordering="_annotation_count")
    def annotation_count(self, article: Article) -> int:
        return article._annotation_count

    @admin.display(description=_("need checking"), ordering="_flagged_count")
    def flagged_count(self, article: Article) -> int:
        return article._flagged_count

    @admin.display(description=_("proposals to review"), ordering="_proposal_count")
    def proposal_count(self, article: Article) -> int:
        return article._proposal_count

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("owner")
        return fields

    def save_model(self, request, obj: Article, form, change: bool) -> None:
        if not change and not obj.owner_id:
            obj.owner = request.user
        super().save_model(request, obj, form, change)
        if change and "body" in form.changed_data:
            counts = services.annotations_reanchor(article=obj)
            flagged = sum(counts.get(status, 0) for status in FLAGGED)
            if flagged:
                self.message_user(
                    request,
                    _("The text changed: %(count)d annotation(s) need checking.")
                    % {"count": flagged},
                    messages.WARNING,
                )

    def view_on_site(self, obj: Article) -> str:
        return obj.get_absolute_url()

    def get_urls(self):
        wrap = self.admin_site.admin_view
        prefix = "<path:object_id>/annotations/"
        # The annotation panel's endpoints: (route after the prefix, view, URL name's end).
        panel = [
            ("", self.annotations_view, "annotations"),
            ("<int:annotation_id>/", self.annotation_view, "annotation"),
            ("<int:annotation_id>/delete/", self.annotation_delete_view, "annotation_delete"),
            ("<int:annotation_id>/accept/", self.annotation_accept_view, "annotation_accept"),
            ("<int:annotation_id>/relocate/", self.annotation_relocate_view, "annotation_relocate"),
            ("proposals/accept/", self.proposals_accept_view, "proposals_accept"),
            ("proposals/<int:proposal_id>/", self.proposal_view, "proposal"),
            ("proposals/<int:proposal_id>/accept/", self.proposal_accept_view, "proposal_accept"),
            ("proposals/<int:proposal_id>/reject/", self.proposal_reject_view, "proposal_reject"),
        ]
        return [
            path("import/", wrap(self.import_view), name="articles_article_import"),
            *(
                path(prefix + route, wrap(view), name=f"articles_article_{name}")
                for route, view, name in panel
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            # Back from a save without JavaScript: offer the sentence after the one annotated.
            after = number_parse(request.GET.get("after")) or 0
            context["panel"] = self._panel_context(request, obj, after=after)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # The annotation panel

    def _change_url(self, object_id) -> str:
        return reverse("admin:articles_article_change", args=[object_id])

    def _panel_url(self, article: Article) -> str:
        return self._change_url(article.pk) + "#annotation-panel"

    def _article_for(self, request: HttpRequest, object_id: str, *, change: bool) -> Article:
        """The article if the user may see it (404 otherwise), and change it when asked."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        allowed = (
            self.has_change_permission(request, article)
            if change
            else self.has_view_or_change_permission(request, article)
        )
        if not allowed:
            raise PermissionDenied
        return article

    def _annotation_for(self, article: Article, annotation_id: int) -> Annotation:
        annotation = article.annotations.select_related("speaker").filter(pk=annotation_id).first()
        if annotation is None:
            raise Http404
        annotation.article = article
        return annotation

    def _proposal_for(self, article: Article, proposal_id: int) -> AnnotationProposal:
        proposal = article.proposals.filter(pk=proposal_id).first()
        if proposal is None:
            raise Http404
        proposal.article = article
        return proposal

    def _check_annotation_permission(self, request: HttpRequest, action: str) -> None:
        if not request.user.has_perm(f"articles.{action}_annotation"):
            raise PermissionDenied

    def _panel_context(
        self,
        request: HttpRequest,
        article: Article,
        *,
        form: AnnotationPanelForm | None = None,
        editing: Annotation | None = None,
        relocating: tuple[int, AnnotationRelocateForm] | None = None,
        message: str = "",
        saved: Annotation | None = None,
        after: int = 0,
        proposing: AnnotationProposal | None = None,
        reviewed: AnnotationProposal | None = None,
        accept_form: ProposalsAcceptForm | None = None,
        keep_focus: bool = False,
    ) -> dict:
        annotations = list(article.annotations.select_related("speaker").order_by("start", "end"))
        proposals = list(
            article.proposals.filter(status=AnnotationProposal.Status.PENDING).order_by(
                "start", "end", "pk"
            )
        )
        current = _proposal_current(proposals, proposing or reviewed)
        if form is None:
            form = AnnotationPanelForm(article=article, annotation=editing, proposal=proposing)
        highlights = [
            Highlight(
                start=annotation.start,
                end=annotation.end,
                key=f"a{annotation.pk}",
                css=f"kind-{annotation.kind}"
                + (" is-editing" if editing and editing.pk == annotation.pk else ""),
            )
            for annotation in annotations
            if annotation.anchor_status != Annotation.Anchor.ORPHANED
        ]
        for number, proposal in enumerate(proposals, start=1):
            proposal.article = article
            proposal.number = number
            proposal.is_complete = bool(proposal.kind and proposal.sourcing)
            # A proposal whose words the text no longer has at its place is listed, not drawn.
            if article.body[proposal.start : proposal.end] == proposal.exact:
                highlights.append(
                    Highlight(
                        start=proposal.start,
                        end=proposal.end,
                        key=f"p{proposal.pk}",
                        css="hl-proposal" + (" is-current" if proposal == current else ""),
                    )
                )
        pending = _pending_span(form, len(article.body))
        if pending:
            highlights.append(Highlight(*pending, key="pending", css="hl-pending"))
        for number, annotation in enumerate(annotations, start=1):
            annotation.number = number
            if annotation.anchor_status == Annotation.Anchor.ORPHANED:
                if relocating and relocating[0] == annotation.pk:
                    annotation.relocate_form = relocating[1]
                else:
                    annotation.relocate_form = AnnotationRelocateForm(
                        article=article,
                        prefix=f"relocate-{annotation.pk}",
                        initial={"quote": annotation.exact},
                    )
        after = saved.end if saved is not None else after
        offered = unannotated_sentences(
            article.body,
            [
                (annotation.start, annotation.end)
                for annotation in annotations
                if annotation.anchor_status != Annotation.Anchor.ORPHANED
            ],
            after=after,
        )
        change = self.has_change_permission(request, article)
        can_add = change and request.user.has_perm("articles.add_annotation")
        return {
            "article": article,
            "annotations": annotations,
            "flagged": [a for a in annotations if a.anchor_status in FLAGGED],
            "paragraphs": body_paragraphs(article.body, highlights),
            "paragraph_ids": PANEL_PARAGRAPH_IDS,
            "form": form,
            "editing": editing,
            "message": message,
            "saved": saved,
            # After a save or a review the teacher goes on from where they were.
            "keep_focus": keep_focus or saved is not None,
            "proposals": proposals,
            "proposing": proposing,
            "current_proposal": current,
            "accept_form": accept_form or ProposalsAcceptForm(),
            "next_sentence": article.body[offered[0][0] : offered[0][1]] if offered else "",
            "next_sentences": " ".join(f"{start}:{end}" for start, end in offered),
            "can_add": can_add,
            "proposer_warning": services.proposer_warning() if can_add else "",
            "can_change": change and request.user.has_perm("articles.change_annotation"),
            "can_delete": change and request.user.has_perm("articles.delete_annotation"),
            "change_url": self._change_url(article.pk),
            "form_action": (
                reverse("admin:articles_article_annotation", args=[article.pk, editing.pk])
                if editing
                else reverse("admin:articles_article_proposal", args=[article.pk, proposing.pk])
                if proposing
                else reverse("admin:articles_article_annotations", args=[article.pk])
            ),
        }

    def _panel_response(
        self, request: HttpRequest, article: Article, *, status: int = 200, **panel
    ) -> HttpResponse:
        """The panel alone for htmx, or a full page showing it."""
        context = {"panel": self._panel_context(request, article, **panel)}
        if request.htmx:
            return TemplateResponse(request, f"{PANEL_TEMPLATE}#panel", context, status=status)
        context.update(
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": article,
                "title": _gettext("Annotate “%(title)s”") % {"title": article.title},
            }
        )
        return TemplateResponse(request, PANEL_TEMPLATE, context, status=status)

    def _panel_done(
        self,
        request: HttpRequest,
        article: Article,
        message: str,
        *,
        saved: Annotation | None = None,
    ) -> HttpResponse:
        """After a change: the fresh panel for htmx, or back to the article with a message.

        After a save the teacher stays where they were: htmx swaps the panel in place, and
        the redirect returns to the paragraph of the annotation saved.
        """
        if request.htmx:
            return self._panel_response(request, article, message=message, saved=saved)
        self.message_user(request, message, messages.SUCCESS)
        if saved is None:
            return HttpResponseRedirect(self._panel_url(article))
        paragraph = next(
            (start for start, end in paragraph_spans(article.body) if saved.start < end), 0
        )
        url = self._change_url(article.pk)
        return HttpResponseRedirect(f"{url}?after={saved.end}#{PANEL_PARAGRAPH_IDS}{paragraph}")

    def annotations_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Show the panel (GET) or annotate a new statement (POST)."""
        if request.method == "POST":
            article = self._article_for(request, object_id, change=True)
            self._check_annotation_permission(request, "add")
            return self._annotation_save(request, article, None)
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET", "POST"])
        article = self._article_for(request, object_id, change=False)
        return self._panel_response(request, article)

    def annotation_view(
        self, request: HttpRequest, object_id: str, annotation_id: int
    ) -> HttpResponse:
        """Open an annotation in the panel's form (GET) or save changes to it (POST)."""
        if request.method == "POST":
            article = self._article_for(request, object_id, change=True)
            self._check_annotation_permission(request, "change")
            return self._annotation_save(
                request, article, self._annotation_for(article, annotation_id)
            )
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET", "POST"])
        article = self._article_for(request, object_id, change=False)
        return self._panel_response(
            request, article, editing=self._annotation_for(article, annotation_id)
        )

    def _annotation_save(
        self,
        request: HttpRequest,
        article: Article,
        annotation: Annotation | None,
        *,
        proposal: AnnotationProposal | None = None,
    ) -> HttpResponse:
        """Save the panel's form: a new annotation, changes to `annotation`, or `proposal`
        accepted as the teacher completed it."""
        form = AnnotationPanelForm(request.POST, article=article, annotation=annotation)
        if form.is_valid():
            try:
                if proposal is not None:
                    accepted = services.proposal_accept(
                        proposal=proposal,
                        author=request.user,
                        draft=form.draft,
                        new_source=form.new_source,
                    )
                    return self._proposal_done(request, article, proposal, accepted=accepted)
                saved = services.annotation_save(
                    article=article,
                    annotation=annotation,
                    draft=form.draft,
                    new_source=form.new_source,
                    author=request.user,
                )
            except ValidationError as error:
                form.add_model_errors(error)
            else:
                message = (
                    _gettext("Annotation saved: %(quote)s")
                    if annotation is None
                    else _gettext("Annotation updated: %(quote)s")
                ) % {"quote": saved}
                return self._panel_done(request, article, message, saved=saved)
        if annotation is not None:
            # The form changed the instance in memory while validating; show the stored one.
            annotation = self._annotation_for(article, annotation.pk)
        return self._panel_response(
            request, article, status=400, form=form, editing=annotation, proposing=proposal
        )

    def annotation_delete_view(
        self, request: HttpRequest, object_id: str, annotation_id: int
    ) -> HttpResponse:
        """Delete an annotation from the panel."""
        article = self._article_for(request, object_id, change=True)
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:articles_article_annotation", args=[article.pk, annotation_id])
            )
        self._check_annotation_permission(request, "delete")
        annotation = self._annotation_for(article, annotation_id)
        services.annotation_delete(annotation=annotation)
        return self._panel_done(
            request, article, _gettext("Annotation deleted: %(quote)s") % {"quote": annotation}
        )

    @_changes_one_annotation
    def annotation_accept_view(
        self, request: HttpRequest, article: Article, annotation: Annotation
    ) -> HttpResponse:
        """Accept the fuzzy match re-anchoring found for an annotation."""
        services.annotation_match_accept(annotation=annotation)
        return self._panel_done(
            request, article, _gettext("Match accepted: %(quote)s") % {"quote": annotation}
        )

    @_changes_one_annotation
    def annotation_relocate_view(
        self, request: HttpRequest, article: Article, annotation: Annotation
    ) -> HttpResponse:
        """Anchor an orphaned annotation again by finding its quote in the text."""
        form = AnnotationRelocateForm(
            request.POST, article=article, prefix=f"relocate-{annotation.pk}"
        )
        if not form.is_valid():
            return self._panel_response(
                request, article, status=400, relocating=(annotation.pk, form)
            )
        services.annotation_relocate(
            annotation=annotation, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
        return self._panel_done(
            request, article, _gettext("Found again: %(quote)s") % {"quote": annotation}
        )

    # Reviewing proposals

    def proposal_view(self, request: HttpRequest, object_id: str, proposal_id: int) -> HttpResponse:
        """Open a proposal in the panel's form, filled in from it (GET), or accept it as the
        teacher completed or changed it there (POST)."""
        if request.method == "POST":
            article = self._article_for(request, object_id, change=True)
            self._check_annotation_permission(request, "add")
            return self._annotation_save(
                request, article, None, proposal=self._proposal_for(article, proposal_id)
            )
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET", "POST"])
        article = self._article_for(request, object_id, change=False)
        return self._panel_response(
            request, article, proposing=self._proposal_for(article, proposal_id)
        )

    @_reviews_one_proposal
    def proposal_accept_view(
        self, request: HttpRequest, article: Article, proposal: AnnotationProposal
    ) -> HttpResponse:
        """Accept a proposal as it is; one that lacks a kind or a sourcing opens in the form
        instead, for the teacher to complete and save."""
        pending = proposal.status == AnnotationProposal.Status.PENDING
        if pending and not (proposal.kind and proposal.sourcing):
            message = _gettext(
                "Complete the kind and the sourcing, then save to accept: %(quote)s"
            ) % {"quote": proposal}
            if request.htmx:
                return self._panel_response(request, article, proposing=proposal, message=message)
            self.message_user(request, message, messages.INFO)
            return HttpResponseRedirect(
                reverse("admin:articles_article_proposal", args=[article.pk, proposal.pk])
                + "#annotation-form"
            )
        accepted = services.proposal_accept(proposal=proposal, author=request.user)
        return self._proposal_done(request, article, proposal, accepted=accepted)

    @_reviews_one_proposal
    def proposal_reject_view(
        self, request: HttpRequest, article: Article, proposal: AnnotationProposal
    ) -> HttpResponse:
        """Turn a proposal down for good."""
        services.proposal_reject(proposal=proposal)
        return self._proposal_done(request, article, proposal)

    def proposals_accept_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Accept every complete proposal at least as confident as the teacher asks."""
        article = self._article_for(request, object_id, change=True)
        if request.method != "POST":
            return HttpResponseRedirect(self._panel_url(article))
        self._check_annotation_permission(request, "add")
        form = ProposalsAcceptForm(request.POST)
        if not form.is_valid():
            return self._panel_response(
                request,
                article,
                status=400,
                accept_form=form,
                message=_gettext("Nothing was accepted: see the message by the confidence."),
            )
        try:
            accepted = services.proposals_accept_confident(
                article=article, threshold=form.cleaned_data["threshold"] / 100, author=request.user
            )
        except ValidationError as error:
            return self._panel_refusal(request, article, error)
        message = ngettext(
            "%(count)d proposal accepted.", "%(count)d proposals accepted.", len(accepted)
        ) % {"count": len(accepted)}
        return self._proposal_done(request, article, None, message=message)

    def _proposal_done(
        self,
        request: HttpRequest,
        article: Article,
        proposal: AnnotationProposal | None,
        *,
        accepted: services.ProposalAccepted | None = None,
        message: str = "",
    ) -> HttpResponse:
        """After a review: the fresh panel for htmx, with the next proposal ready for the
        keys, or back to the list of proposals with a message."""
        if not message:
            if accepted is None:
                message = _gettext("Proposal rejected: %(quote)s") % {"quote": proposal}
            elif accepted.created:
                message = _gettext("Proposal accepted: %(quote)s is an annotation now.") % {
                    "quote": accepted.annotation
                }
            else:
                message = _gettext(
                    "Already annotated: your annotation of %(quote)s stays as it is, and the "
                    "proposal is marked accepted."
                ) % {"quote": accepted.annotation}
        if request.htmx:
            return self._panel_response(
                request,
                article,
                message=message,
                reviewed=proposal,
                keep_focus=True,
                saved=accepted.annotation if accepted else None,
            )
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(article.pk) + "#proposals")

    def _panel_refusal(
        self, request: HttpRequest, article: Article, error: ValidationError
    ) -> HttpResponse:
        message = " ".join(error.messages)
        if request.htmx:
            return self._panel_response(request, article, status=400, message=message)
        self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(self._panel_url(article))

    # Importing

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Import an article from a saved page, a text file or pasted text."""
        if not self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        posted = request.method == "POST"
        form = ArticleImportForm(
            request.POST if posted else None,
            request.FILES if posted else None,
            upload_too_large=getattr(request, "upload_too_large", False),
        )
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data.get("file")
            try:
                if upload:
                    if upload.size > importing.MAX_IMPORT_BYTES:
                        raise ValidationError(importing.size_error_message(upload.size))
                    data, filename = upload.read(), upload.name
                else:
                    title = form.cleaned_data["title"].strip()
                    data = f"{title}\n\n{form.cleaned_data['text']}".encode()
                    filename = "pasted.txt"
                article = importing.article_import(
                    data=data,
                    filename=filename,
                    owner=request.user,
                    url=form.cleaned_data.get("url") or "",
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                self.message_user(
                    request,
                    _("Imported “%(title)s”. Check its text: drop what is not the article.")
                    % {"title": article.title},
                    messages.SUCCESS,
                )
                # The proposals wait in the editor; an import stands even when none come.
                suggested = services.proposals_suggest_safely(article=article)
                self.message_user(
                    request,
                    suggested.message,
                    messages.WARNING if suggested.error else messages.INFO,
                )
                return HttpResponseRedirect(reverse("articles:review", args=[article.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import an article"),
            "form": form,
        }
        return render(request, "admin/articles/article/import.html", context)


def _proposal_current(
    proposals: list[AnnotationProposal], at: AnnotationProposal | None
) -> AnnotationProposal | None:
    """The proposal the keys act on: the one open in the form, or after a review the next in
    reading order (coming round to the first), or else the first."""
    if not proposals:
        return None
    if at is None:
        return proposals[0]
    if at in proposals:
        return at
    place = (at.start, at.end, at.pk)
    return next((p for p in proposals if (p.start, p.end, p.pk) > place), proposals[0])


def _pending_span(form: AnnotationPanelForm, length: int) -> tuple[int, int] | None:
    """The span a refused form was about, to keep it highlighted while the teacher fixes it."""
    if not form.is_bound or not hasattr(form, "cleaned_data"):
        return None
    start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
    if start is None or end is None or not 0 <= start < end <= length:
        return None
    if form.has_error("quote") or form.has_error("occurrence"):
        return None
    return start, end


@admin.register(Annotation)
class AnnotationAdmin(OwnedArticlesMixin, admin.ModelAdmin):
    form = AnnotationForm
    list_display = ["__str__", "article", "kind", "speaker", "sourcing", "anchor_status"]
    search_fields = ["exact", "explanation", "cue", "speaker__name"]
    list_select_related = ["article", "speaker"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        articles = self.owned_articles(request)
        form.base_fields["article"].queryset = articles
        speakers = Source.objects.filter(article__in=articles)
        article_id = obj.article_id if obj else id_parse(request.GET.get("article"))
        if article_id is not None:
            speakers = speakers.filter(article_id=article_id)
        form.base_fields["speaker"].queryset = speakers.select_related("article")
        return form

    def get_list_filter(self, request):
        return ["kind", "sourcing", "anchor_status", ("article", OwnedArticleFilter)]

    def save_model(self, request, obj: Annotation, form, change: bool) -> None:
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)
