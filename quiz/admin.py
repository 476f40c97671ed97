from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from quiz.models import Assignment, Choice, Classroom, Question, Quiz, QuizQuestion


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


class ChoiceFormSet(BaseInlineFormSet):
    """A choice question needs at least two choices and exactly one right one."""

    def clean(self):
        super().clean()
        kind = self.instance.kind
        if kind == Question.Kind.EVIDENCE and not any(self._live_forms()):
            return
        live = list(self._live_forms())
        if len(live) < 2:
            raise ValidationError(_("Give at least two choices."))
        right = sum(1 for form in live if form.cleaned_data.get("is_correct"))
        if right != 1:
            raise ValidationError(
                _("Mark exactly one choice as correct (%(count)d are marked).") % {"count": right}
            )

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
    list_display = ["__str__", "kind", "skill", "article", "points"]
    list_filter = ["kind", "skill", ("article", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["prompt", "statement", "explanation"]
    list_select_related = ["article"]
    inlines = [ChoiceInline]
    fields = ["kind", "skill", "article", "prompt", "statement", "explanation", "points", "owner"]
    readonly_fields = ["annotation"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["queryset"] = Article.objects.owned_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class QuizQuestionInline(admin.TabularInline):
    model = QuizQuestion
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
    list_display = ["title", "published", "updated_at"]
    list_filter = ["published"]
    search_fields = ["title", "description"]
    inlines = [QuizQuestionInline]


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
