from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import admin as articles_admin
from articles.forms import LabelledInlineFormSet
from articles.models import Article
from quiz.forms import QuestionForm, QuizAddForm
from quiz.models import Assignment, Choice, Classroom, Question, Quiz, QuizQuestion
from quiz.services import authoring
from quiz.views.authoring import regrade_summary
from quiz.views.generation import articles_questions_generate


class OwnedMixin:
    """Scope an admin to rows the requesting teacher owns (superusers see all)."""

    owner_lookup = "owner"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.owner_lookup: request.user})

    def save_model(self, request, obj, form, change):
        if not change and hasattr(obj, "owner_id") and not obj.owner_id:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser and "owner" not in exclude:
            exclude.append("owner")
        return exclude

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if not request.user.is_superuser and "owner" in fields:
            fields.remove("owner")
        return fields


# Questions: their regrade screen is a view of its own (quiz/views/authoring.py), linked from
# the question's page and from the message after a save that changed its grading.


class ChoiceFormSet(LabelledInlineFormSet):
    """A choice question needs at least two choices and at least one right one.

    Several may be right: a question that turned out to have two defensible answers accepts
    both (regrade to apply it to the answers already given).
    """

    def clean(self):
        super().clean()
        kind = self.instance.kind
        if kind == Question.Kind.EVIDENCE and not any(self._live_forms()):
            return
        live = list(self._live_forms())
        if len(live) < 2:
            raise ValidationError(_("Give at least two choices."))
        if not any(form.cleaned_data.get("is_correct") for form in live):
            raise ValidationError(_("Mark at least one choice as correct."))

    def _live_forms(self):
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if data and not data.get("DELETE") and data.get("text"):
                yield form


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    extra = 0
    fields = ["position", "text", "is_correct", "feedback"]


@admin.register(Question)
class QuestionAdmin(OwnedMixin, admin.ModelAdmin):
    form = QuestionForm
    list_display = ["__str__", "kind", "skill", "article", "points"]
    list_filter = ["kind", "skill", ("article", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["prompt", "statement", "explanation"]
    list_select_related = ["article"]
    inlines = [ChoiceInline]
    fields = [*QuestionForm.Meta.fields, "credit_all", "annotation"]
    readonly_fields = ["annotation"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["queryset"] = Article.objects.owned_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["regrade"] = authoring.question_regrade_counts(question=obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            return
        if "skill" in form.changed_data and authoring.question_skill_moved(question=form.instance):
            self.message_user(
                request,
                _gettext(
                    "Students' right answers to this question now count towards %(skill)s"
                    " in their skill results."
                )
                % {"skill": form.instance.get_skill_display()},
                messages.INFO,
            )
        counts = authoring.question_regrade_counts(question=form.instance)
        if counts.needed:
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    regrade_summary(counts),
                    reverse("quiz:regrade", args=[form.instance.pk]),
                    _gettext("Review and regrade the stored responses"),
                ),
                messages.WARNING,
            )


# Quizzes: the builder, the preview and duplicating are views of their own
# (quiz/views/authoring.py), linked from the quiz's page.


class QuizQuestionInline(admin.TabularInline):
    """Questions picked while creating a quiz; afterwards the builder takes over."""

    model = QuizQuestion
    formset = LabelledInlineFormSet
    extra = 0
    fields = ["position", "question"]
    ordering = ["position", "pk"]
    autocomplete_fields = ["question"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "question":
            kwargs["queryset"] = Question.objects.owned_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Quiz)
class QuizAdmin(OwnedMixin, admin.ModelAdmin):
    """Quizzes; each one's page links to its builder, its preview and its duplicate button.

    A new quiz may start with all the questions of one of the teacher's articles, and saving
    it opens its builder, where the questions are put in order.
    """

    list_display = ["title", "published", "question_count", "updated_at"]
    list_filter = ["published"]
    search_fields = ["title", "description"]
    actions = ["duplicate_quizzes"]

    def get_queryset(self, request):
        # Ordered explicitly: a grouped query drops the model's default ordering.
        return (
            super()
            .get_queryset(request)
            .annotate(_question_count=Count("items"))
            .order_by("title", "pk")
        )

    @admin.display(description=_("questions"), ordering="_question_count")
    def question_count(self, quiz: Quiz) -> int:
        return quiz._question_count

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = QuizAddForm
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            # A class of its own per request, so one teacher's articles never show to another.
            form = type(form.__name__, (form,), {"article_owner": request.user})
        return form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = None if change else form.cleaned_data.get("from_article")
        if article is None:
            return
        try:
            added = authoring.quiz_article_questions_add(quiz=form.instance, article=article)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.WARNING)
        else:
            self.message_user(
                request,
                ngettext(
                    "%(count)d question from “%(article)s” added.",
                    "%(count)d questions from “%(article)s” added.",
                    added,
                )
                % {"count": added, "article": article.title},
                messages.SUCCESS,
            )

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        staying = {"_continue", "_addanother", "_saveasnew", IS_POPUP_VAR} & set(request.POST)
        if staying or not isinstance(response, HttpResponseRedirect):
            return response
        # Saved: on to the builder, where the questions are added and ordered.
        return HttpResponseRedirect(reverse("quiz:builder", args=[obj.pk]) + "#quiz-builder")

    def get_inlines(self, request, obj):
        # Once the quiz exists the builder edits its questions; an inline formset on the
        # quiz's page would post back a stale list of rows.
        return [QuizQuestionInline] if obj is None else []

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["question_count"] = self.question_count(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description=_("Duplicate the selected quizzes"))
    def duplicate_quizzes(self, request: HttpRequest, queryset) -> None:
        copies = [authoring.quiz_duplicate(quiz=quiz, owner=request.user) for quiz in queryset]
        self.message_user(
            request,
            ngettext("%(count)d quiz duplicated.", "%(count)d quizzes duplicated.", len(copies))
            % {"count": len(copies)},
            messages.SUCCESS,
        )


# Classes and assignments


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ["name", "join_code", "join_open"]
    search_fields = ["name", "join_code"]
    filter_horizontal = ["teachers"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(teachers=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not request.user.is_superuser:
            form.instance.teachers.add(request.user)

    def get_exclude(self, request, obj=None):
        return [] if request.user.is_superuser else ["teachers"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["quiz", "classroom", "opens_at", "due_at", "reveal"]
    list_filter = ["reveal"]
    list_select_related = ["quiz", "classroom"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(classroom__teachers=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "classroom" and not request.user.is_superuser:
            kwargs["queryset"] = Classroom.objects.filter(teachers=request.user)
        if db_field.name == "quiz":
            kwargs["queryset"] = Quiz.objects.owned_by(request.user).filter(published=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Articles: their admin (articles/) knows nothing of questions, so the action that generates
# questions from the selected articles' annotations is added to it here.
admin.site.unregister(Article)


@admin.register(Article)
class ArticleAdmin(articles_admin.ArticleAdmin):
    actions = [*articles_admin.ArticleAdmin.actions, "generate_questions"]

    @admin.action(description=_("Generate questions from the annotations"))
    def generate_questions(self, request: HttpRequest, queryset) -> None:
        articles_questions_generate(request, queryset.select_related("owner"))
