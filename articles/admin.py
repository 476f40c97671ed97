from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import importing
from articles.forms import AnnotationForm, AnnotationRowForm, ArticleImportForm
from articles.models import Annotation, Article, Outlet, Source
from articles.services import annotations_reanchor
from quiz.generation import questions_generate


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


URL_FIELDS = {models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}}


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "url"]
    search_fields = ["name"]


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0
    fields = ["name", "description", "kind"]


class AnnotationInline(admin.TabularInline):
    """Annotations listed on their article; each opens in its own form for editing."""

    model = Annotation
    form = AnnotationRowForm
    extra = 0
    fields = ["statement", "kind", "speaker_name", "sourcing", "anchor_status", "edit"]
    readonly_fields = fields
    ordering = ["start", "end"]
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker")

    @admin.display(description=_("statement"))
    def statement(self, annotation: Annotation) -> str:
        return str(annotation)

    @admin.display(description=_("speaker"))
    def speaker_name(self, annotation: Annotation) -> str:
        return annotation.speaker_label

    @admin.display(description="")
    def edit(self, annotation: Annotation) -> str:
        url = reverse("admin:articles_annotation_change", args=[annotation.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit"))


@admin.register(Article)
class ArticleAdmin(OwnedArticlesMixin, admin.ModelAdmin):
    article_lookup = "owner"
    formfield_overrides = URL_FIELDS
    list_display = ["title", "outlet", "status", "annotation_count", "flagged_count", "updated_at"]
    list_filter = ["status", "annotations__anchor_status", "outlet"]
    search_fields = ["title", "standfirst", "byline", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["body_sha256", "created_at", "updated_at"]
    inlines = [SourceInline, AnnotationInline]
    actions = ["generate_questions"]
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
                    "annotations",
                    filter=Q(
                        annotations__anchor_status__in=[
                            Annotation.Anchor.FUZZY,
                            Annotation.Anchor.ORPHANED,
                        ]
                    ),
                ),
            )
        )

    @admin.display(description=_("annotations"), ordering="_annotation_count")
    def annotation_count(self, article: Article) -> int:
        return article._annotation_count

    @admin.display(description=_("need checking"), ordering="_flagged_count")
    def flagged_count(self, article: Article) -> int:
        return article._flagged_count

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
            counts = annotations_reanchor(article=obj)
            flagged = counts.get(Annotation.Anchor.FUZZY, 0) + counts.get(
                Annotation.Anchor.ORPHANED, 0
            )
            if flagged:
                self.message_user(
                    request,
                    _("The text changed: %(count)d annotation(s) need checking.")
                    % {"count": flagged},
                    messages.WARNING,
                )

    @admin.action(description=_("Generate questions from the annotations"))
    def generate_questions(self, request: HttpRequest, queryset) -> None:
        added = sum(questions_generate(article=article, owner=request.user) for article in queryset)
        self.message_user(
            request,
            ngettext("%(count)d question added.", "%(count)d questions added.", added)
            % {"count": added},
            messages.SUCCESS,
        )

    def view_on_site(self, obj: Article) -> str:
        return obj.get_absolute_url()

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="articles_article_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Import an article from a saved page, a text file or pasted text."""
        if not self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        form = ArticleImportForm(request.POST or None, request.FILES or None)
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
                    request, _("Imported “%(title)s”.") % {"title": article.title}, messages.SUCCESS
                )
                return HttpResponseRedirect(
                    reverse("admin:articles_article_change", args=[article.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import an article"),
            "form": form,
        }
        return render(request, "admin/articles/article/import.html", context)


@admin.register(Annotation)
class AnnotationAdmin(OwnedArticlesMixin, admin.ModelAdmin):
    form = AnnotationForm
    list_display = ["__str__", "article", "kind", "speaker", "sourcing", "anchor_status"]
    list_filter = ["kind", "sourcing", "anchor_status", "article"]
    search_fields = ["exact", "explanation", "cue", "speaker__name"]
    list_select_related = ["article", "speaker"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        articles = self.owned_articles(request)
        form.base_fields["article"].queryset = articles
        speakers = Source.objects.filter(article__in=articles)
        article_id = obj.article_id if obj else request.GET.get("article")
        if article_id and str(article_id).isdigit():
            speakers = speakers.filter(article_id=article_id)
        form.base_fields["speaker"].queryset = speakers.select_related("article")
        return form

    def get_list_filter(self, request):
        return ["kind", "sourcing", "anchor_status", ("article", OwnedArticleFilter)]

    def save_model(self, request, obj: Annotation, form, change: bool) -> None:
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)


class OwnedArticleFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        return [
            (article.pk, str(article))
            for article in Article.objects.owned_by(request.user).only("pk", "title")
        ]
