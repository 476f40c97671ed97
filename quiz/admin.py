from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import admin as articles_admin
from articles.forms import LabelledInlineFormSet
from articles.models import Article
from articles.text import nearest_occurrence, quote_occurrences
from quiz import authoring, selectors
from quiz.models import (
    Assignment,
    Attempt,
    Choice,
    Classroom,
    Question,
    Quiz,
    QuizQuestion,
    Response,
    Skill,
)
from quiz.services import Answer
from quiz.services import _grade as answer_grade
from quiz.views import student as stage
from quiz.views.generation import articles_questions_generate

BUILDER_TEMPLATE = "admin/quiz/quiz/change_form.html"
BUILDER_CANDIDATES = 50  # questions offered at once; the filters narrow them down
PREVIEW_SESSION_KEY = "quiz_previews"


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

    def _object_for(self, request: HttpRequest, object_id: str, *, change: bool):
        """The object if the user may see it (404 otherwise), and change it when asked."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        allowed = (
            self.has_change_permission(request, obj)
            if change
            else self.has_view_or_change_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        return obj


# Questions


class ChoiceFormSet(LabelledInlineFormSet):
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


class QuestionForm(forms.ModelForm):
    """A question, with the source words an evidence question is graded against.

    The words are found in the article's text next to the statement, so the teacher types
    them rather than offsets.
    """

    class Meta:
        model = Question
        fields = [
            "kind",
            "skill",
            "article",
            "prompt",
            "statement",
            "answer_exact",
            "explanation",
            "points",
            "owner",
        ]
        labels = {"answer_exact": _("Words that name the source")}
        help_texts = {
            "answer_exact": _(
                "Evidence questions only: the words in the article that tell where the "
                "statement comes from, copied exactly. A student's selection is graded "
                "against them."
            )
        }

    def clean(self):
        cleaned = super().clean()
        article: Article | None = cleaned.get("article")
        body = article.body if article else ""
        instance = self.instance
        statement = cleaned.get("statement") or ""
        focus = None
        if article and statement:
            kept = (
                instance.pk
                and instance.article_id == article.pk
                and instance.focus_start is not None
                and body[instance.focus_start : instance.focus_end] == statement
            )
            if kept:
                focus = (instance.focus_start, instance.focus_end)
            else:
                starts = quote_occurrences(body, statement)
                focus = (starts[0], starts[0] + len(statement)) if starts else None
        instance.focus_start, instance.focus_end = focus or (None, None)

        words = (cleaned.get("answer_exact") or "").strip()
        answer = None
        if words and not article:
            self.add_error("answer_exact", _("Source words need an article to be found in."))
        elif words:
            kept = (
                instance.pk
                and instance.article_id == article.pk
                and instance.answer_start is not None
                and body[instance.answer_start : instance.answer_end] == words
            )
            if kept:
                answer = (instance.answer_start, instance.answer_end)
            else:
                near = focus or (0, 0)
                answer = nearest_occurrence(body, words, start=near[0], end=near[1])
                if answer is None:
                    self.add_error(
                        "answer_exact",
                        _("These words are not in the article. Copy them exactly from its text."),
                    )
        if cleaned.get("kind") == Question.Kind.EVIDENCE and answer is None and not words:
            self.add_error(
                "answer_exact",
                _(
                    "An evidence question needs the words that name the source, so a "
                    "student's selection can be graded."
                ),
            )
        instance.answer_start, instance.answer_end = answer or (None, None)
        cleaned["answer_exact"] = words if answer else ""
        return cleaned


@admin.register(Question)
class QuestionAdmin(OwnedMixin, admin.ModelAdmin):
    form = QuestionForm
    list_display = ["__str__", "kind", "skill", "article", "points"]
    list_filter = ["kind", "skill", ("article", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["prompt", "statement", "explanation"]
    list_select_related = ["article"]
    inlines = [ChoiceInline]
    fields = [
        "kind",
        "skill",
        "article",
        "prompt",
        "statement",
        "answer_exact",
        "explanation",
        "points",
        "owner",
        "annotation",
    ]
    readonly_fields = ["annotation"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["queryset"] = Article.objects.owned_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/regrade/",
                self.admin_site.admin_view(self.regrade_view),
                name="quiz_question_regrade",
            ),
            *super().get_urls(),
        ]

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
                    _regrade_summary(counts),
                    reverse("admin:quiz_question_regrade", args=[form.instance.pk]),
                    _gettext("Review and regrade the stored responses"),
                ),
                messages.WARNING,
            )

    def regrade_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Show what a regrade would change (GET) and do it (POST)."""
        question = self._object_for(request, object_id, change=request.method == "POST")
        change_url = reverse("admin:quiz_question_change", args=[question.pk])
        if request.method == "POST":
            counts = authoring.question_regrade(question=question)
            if counts.needed:
                self.message_user(
                    request,
                    _gettext(
                        "Regraded: %(summary)s The scores of %(attempts)d attempt(s) were updated."
                    )
                    % {"summary": _regrade_summary(counts), "attempts": counts.attempts},
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    _gettext(
                        "Nothing to regrade: every stored response is graded as it would be now."
                    ),
                    messages.INFO,
                )
            return HttpResponseRedirect(change_url)
        counts = authoring.question_regrade_counts(question=question)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": question,
            "title": _gettext("Regrade the responses to this question"),
            "counts": counts,
            "summary": _regrade_summary(counts),
            "change_url": change_url,
            "can_change": self.has_change_permission(request, question),
        }
        return TemplateResponse(request, "admin/quiz/question/regrade.html", context)


def _choices_of(question: Question) -> list[Choice]:
    # Ordered explicitly: Choice's default ordering starts with its question, which would
    # join the question and its article only to sort by them.
    return list(question.choices.order_by("position", "pk"))


def _regrade_summary(counts: authoring.RegradeCounts) -> str:
    return ngettext(
        "%(responses)d response: %(before)d right → %(after)d right.",
        "%(responses)d responses: %(before)d right → %(after)d right.",
        counts.responses,
    ) % {"responses": counts.responses, "before": counts.right_before, "after": counts.right_after}


# Quizzes


class QuizQuestionInline(admin.TabularInline):
    """Questions picked while creating a quiz; afterwards the builder on its page takes over."""

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


class QuizBuilderFilterForm(forms.Form):
    """Narrow the questions offered to the quiz builder."""

    prefix = "builder"

    article = forms.ModelChoiceField(
        label=_("Article"), queryset=Article.objects.none(), required=False, empty_label=_("All")
    )
    skill = forms.ChoiceField(
        label=_("Skill"), choices=[("", _("All")), *Skill.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *Question.Kind.choices], required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = Article.objects.owned_by(user).only("pk", "title")

    def apply(self, questions):
        if not self.is_bound or not self.is_valid():
            return questions
        data = self.cleaned_data
        if data.get("article"):
            questions = questions.filter(article=data["article"])
        if data.get("skill"):
            questions = questions.filter(skill=data["skill"])
        if data.get("kind"):
            questions = questions.filter(kind=data["kind"])
        return questions

    def as_hidden_inputs(self) -> list[tuple[str, str]]:
        """The current filters, to carry along in the builder's other forms."""
        if not self.is_bound:
            return []
        return [
            (self[name].html_name, self.data.get(self[name].html_name, ""))
            for name in self.fields
            if self.data.get(self[name].html_name)
        ]


@admin.register(Quiz)
class QuizAdmin(OwnedMixin, admin.ModelAdmin):
    """Quizzes, with the builder, a duplicate button and "Preview as a student" on each page.

    The builder's and preview's endpoints answer htmx with fragments and plain requests
    with full pages or redirects, so they work without JavaScript.
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

    def get_inlines(self, request, obj):
        # Once the quiz exists the builder edits its questions; an inline formset next to it
        # would post back a stale list of rows.
        return [QuizQuestionInline] if obj is None else []

    @admin.action(description=_("Duplicate the selected quizzes"))
    def duplicate_quizzes(self, request: HttpRequest, queryset) -> None:
        copies = [authoring.quiz_duplicate(quiz=quiz, owner=request.user) for quiz in queryset]
        self.message_user(
            request,
            ngettext("%(count)d quiz duplicated.", "%(count)d quizzes duplicated.", len(copies))
            % {"count": len(copies)},
            messages.SUCCESS,
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/duplicate/", wrap(self.duplicate_view), name="quiz_quiz_duplicate"
            ),
            path("<path:object_id>/builder/", wrap(self.builder_view), name="quiz_quiz_builder"),
            path(
                "<path:object_id>/builder/add/",
                wrap(self.builder_add_view),
                name="quiz_quiz_builder_add",
            ),
            path(
                "<path:object_id>/builder/<int:item_id>/move/",
                wrap(self.builder_move_view),
                name="quiz_quiz_builder_move",
            ),
            path(
                "<path:object_id>/builder/<int:item_id>/remove/",
                wrap(self.builder_remove_view),
                name="quiz_quiz_builder_remove",
            ),
            path("<path:object_id>/preview/", wrap(self.preview_view), name="quiz_quiz_preview"),
            path(
                "<path:object_id>/preview/<int:question_id>/",
                wrap(self.preview_question_view),
                name="quiz_quiz_preview_question",
            ),
            path(
                "<path:object_id>/preview/<int:question_id>/answer/",
                wrap(self.preview_answer_view),
                name="quiz_quiz_preview_answer",
            ),
            path(
                "<path:object_id>/preview/finish/",
                wrap(self.preview_finish_view),
                name="quiz_quiz_preview_finish",
            ),
            path(
                "<path:object_id>/preview/restart/",
                wrap(self.preview_restart_view),
                name="quiz_quiz_preview_restart",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["builder"] = self._builder_context(request, obj, filters=request.GET)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _change_url(self, quiz: Quiz) -> str:
        return reverse("admin:quiz_quiz_change", args=[quiz.pk])

    # Duplicating

    def duplicate_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Copy the quiz and open the copy."""
        quiz = self._object_for(request, object_id, change=False)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(quiz))
        if not self.has_add_permission(request):
            raise PermissionDenied
        copy = authoring.quiz_duplicate(quiz=quiz, owner=request.user)
        self.message_user(
            request,
            _gettext("“%(title)s” is a copy: rename it, change its questions, publish it.")
            % {"title": copy.title},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._change_url(copy))

    # The builder

    def _builder_context(
        self,
        request: HttpRequest,
        quiz: Quiz,
        *,
        filters,
        message: str = "",
        focus: tuple[int, str] | None = None,
    ) -> dict:
        filter_form = QuizBuilderFilterForm(
            filters if any(key.startswith("builder-") for key in filters) else None,
            user=request.user,
        )
        items = list(quiz.items.select_related("question__article").order_by("position", "pk"))
        for index, item in enumerate(items):
            item.focus_button = None
            if focus and focus[0] == item.pk:
                # Keep the keyboard on the button just used, or on the other one when the
                # question reached the top or the bottom and that button is disabled.
                direction = focus[1]
                if direction == "up" and index == 0:
                    direction = "down"
                elif direction == "down" and index == len(items) - 1:
                    direction = "up"
                item.focus_button = direction if len(items) > 1 else None
        candidates = filter_form.apply(
            Question.objects.owned_by(request.user).exclude(quiz_items__quiz=quiz)
        ).select_related("article")
        shown = list(
            candidates.order_by("article__title", "focus_start", "kind", "pk")[
                : BUILDER_CANDIDATES + 1
            ]
        )
        return {
            "quiz": quiz,
            "items": items,
            "filter_form": filter_form,
            "filters": filter_form.as_hidden_inputs(),
            "candidates": shown[:BUILDER_CANDIDATES],
            "more_candidates": len(shown) > BUILDER_CANDIDATES,
            "message": message,
            "focus": focus,
            "can_change": self.has_change_permission(request, quiz),
            "change_url": self._change_url(quiz),
        }

    def _builder_response(
        self, request: HttpRequest, quiz: Quiz, *, filters, status: int = 200, **extra
    ) -> HttpResponse:
        context = {"builder": self._builder_context(request, quiz, filters=filters, **extra)}
        return TemplateResponse(request, f"{BUILDER_TEMPLATE}#builder", context, status=status)

    def _builder_done(
        self, request: HttpRequest, quiz: Quiz, message: str, **extra
    ) -> HttpResponse:
        if request.htmx:
            return self._builder_response(
                request, quiz, filters=request.POST, message=message, **extra
            )
        self.message_user(request, message, messages.SUCCESS)
        query = urlencode(QuizBuilderFilterForm(request.POST, user=request.user).as_hidden_inputs())
        return HttpResponseRedirect(
            self._change_url(quiz) + (f"?{query}" if query else "") + "#quiz-builder"
        )

    def builder_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The builder with the filters applied: alone for htmx, else on the quiz's page."""
        quiz = self._object_for(request, object_id, change=False)
        if not request.htmx:
            query = request.GET.urlencode()
            return HttpResponseRedirect(
                self._change_url(quiz) + (f"?{query}" if query else "") + "#quiz-builder"
            )
        return self._builder_response(request, quiz, filters=request.GET)

    def _builder_post(self, request: HttpRequest, object_id: str) -> Quiz:
        quiz = self._object_for(request, object_id, change=True)
        if request.method != "POST":
            raise Http404
        return quiz

    def _builder_item(self, quiz: Quiz, item_id: int) -> QuizQuestion:
        item = quiz.items.select_related("question").filter(pk=item_id).first()
        if item is None:
            raise Http404
        item.quiz = quiz
        return item

    def builder_add_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Append the ticked questions to the quiz."""
        quiz = self._builder_post(request, object_id)
        ids = []
        for value in request.POST.getlist("question"):
            if value.isdigit() and int(value) not in ids:
                ids.append(int(value))
        found = Question.objects.owned_by(request.user).in_bulk(ids)
        questions = [found[pk] for pk in ids if pk in found]
        if not questions:
            message = _gettext("Tick the questions to add first.")
            if request.htmx:
                return self._builder_response(
                    request, quiz, filters=request.POST, status=400, message=message
                )
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(self._change_url(quiz) + "#quiz-builder")
        added = authoring.quiz_questions_add(quiz=quiz, questions=questions)
        return self._builder_done(
            request,
            quiz,
            ngettext("%(count)d question added.", "%(count)d questions added.", added)
            % {"count": added},
        )

    def builder_move_view(self, request: HttpRequest, object_id: str, item_id: int) -> HttpResponse:
        """Move a question one place up or down."""
        quiz = self._builder_post(request, object_id)
        item = self._builder_item(quiz, item_id)
        direction = request.POST.get("direction")
        if direction not in {"up", "down"}:
            message = _gettext("Say which way to move the question: up or down.")
            if request.htmx:
                return self._builder_response(
                    request, quiz, filters=request.POST, status=400, message=message
                )
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(self._change_url(quiz) + "#quiz-builder")
        try:
            authoring.quiz_question_move(item=item, offset=-1 if direction == "up" else 1)
        except ValidationError as error:
            raise Http404 from error
        item.refresh_from_db(fields=["position"])
        return self._builder_done(
            request,
            quiz,
            _gettext("Question moved to position %(position)d.") % {"position": item.position},
            focus=(item.pk, direction),
        )

    def builder_remove_view(
        self, request: HttpRequest, object_id: str, item_id: int
    ) -> HttpResponse:
        """Take a question out of the quiz."""
        quiz = self._builder_post(request, object_id)
        item = self._builder_item(quiz, item_id)
        try:
            authoring.quiz_question_remove(item=item)
        except ValidationError as error:
            raise Http404 from error
        return self._builder_done(
            request,
            quiz,
            _gettext("Removed from the quiz: %(question)s") % {"question": item.question},
        )

    # Preview as a student: the student's stage, graded the same way, kept in the session.

    def _preview_quiz(self, request: HttpRequest, object_id: str) -> Quiz:
        return self._object_for(request, object_id, change=False)

    def _preview_answers(self, request: HttpRequest, quiz: Quiz) -> dict[str, dict]:
        return dict(request.session.get(PREVIEW_SESSION_KEY, {}).get(str(quiz.pk), {}))

    def _preview_store(self, request: HttpRequest, quiz: Quiz, answers: dict | None) -> None:
        previews = dict(request.session.get(PREVIEW_SESSION_KEY, {}))
        if answers is None:
            previews.pop(str(quiz.pk), None)
        else:
            previews[str(quiz.pk)] = answers
        request.session[PREVIEW_SESSION_KEY] = previews

    def _preview_links(self, quiz: Quiz) -> stage.StageLinks:
        return stage.StageLinks(
            quiz=self._change_url(quiz),
            question=lambda question_id: reverse(
                "admin:quiz_quiz_preview_question", args=[quiz.pk, question_id]
            ),
            answer=lambda question_id: reverse(
                "admin:quiz_quiz_preview_answer", args=[quiz.pk, question_id]
            ),
            remaining=reverse("admin:quiz_quiz_preview", args=[quiz.pk]),
            finish=reverse("admin:quiz_quiz_preview_finish", args=[quiz.pk]),
        )

    @staticmethod
    def _preview_response(question: Question, stored: dict | None) -> Response | None:
        """The answer given in this preview, as an unsaved response the stage can show."""
        if stored is None:
            return None
        return Response(
            question=question,
            choice_id=stored.get("choice"),
            selected_start=stored.get("start"),
            selected_end=stored.get("end"),
            is_correct=stored["correct"],
            points=stored["points"],
        )

    def _preview_stage(
        self,
        request: HttpRequest,
        quiz: Quiz,
        question: Question,
        ids: list[int],
        answers: dict,
        *,
        choices: list[Choice] | None = None,
        pending_after: int | None = None,
        after_answer: bool = False,
        error: str = "",
        status: int = 200,
    ) -> HttpResponse:
        answered = {int(key) for key in answers} & set(ids)
        if not after_answer:
            index = ids.index(question.pk)
            later = ids[index + 1 :] + ids[:index]
            pending_after = next((qid for qid in later if qid not in answered), None)
        # A stand-in for the student's attempt, never saved: it only tells the stage how
        # far the preview has got and that answers are revealed after each question.
        attempt = Attempt(
            assignment=Assignment(quiz=quiz, reveal=Assignment.Reveal.AFTER_EACH),
            student=request.user,
            answered=len(answered),
        )
        context = stage._stage_context(
            attempt=attempt,
            question=question,
            ids=ids,
            choices=choices if choices is not None else _choices_of(question),
            response=self._preview_response(question, answers.get(str(question.pk))),
            answered_count=len(answered),
            pending_after=pending_after,
            error=error,
            links=self._preview_links(quiz),
        )
        context["preview"] = {
            "quiz": quiz,
            "change_url": self._change_url(quiz),
            "restart_url": reverse("admin:quiz_quiz_preview_restart", args=[quiz.pk]),
        }
        return stage._render_stage(request, context, status, page="quiz/preview/take.html")

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Start or carry on previewing: go to the first question not yet answered."""
        quiz = self._preview_quiz(request, object_id)
        ids = selectors.quiz_question_ids(quiz_id=quiz.pk)
        if not ids:
            self.message_user(
                request, _gettext("Add questions to the quiz to preview it."), messages.INFO
            )
            return HttpResponseRedirect(self._change_url(quiz))
        answers = self._preview_answers(request, quiz)
        pending = [qid for qid in ids if str(qid) not in answers]
        return HttpResponseRedirect(
            reverse("admin:quiz_quiz_preview_question", args=[quiz.pk, (pending or ids)[0]])
        )

    def preview_question_view(
        self, request: HttpRequest, object_id: str, question_id: int
    ) -> HttpResponse:
        """One question of the preview, exactly as a student sees it."""
        quiz = self._preview_quiz(request, object_id)
        question = stage._get_question_in_quiz(quiz.pk, question_id)
        ids = selectors.quiz_question_ids(quiz_id=quiz.pk)
        return self._preview_stage(
            request, quiz, question, ids, self._preview_answers(request, quiz)
        )

    def preview_answer_view(
        self, request: HttpRequest, object_id: str, question_id: int
    ) -> HttpResponse:
        """Grade an answer as a student's would be, and keep it in the session only."""
        quiz = self._preview_quiz(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:quiz_quiz_preview_question", args=[quiz.pk, question_id])
            )
        question = stage._get_question_in_quiz(quiz.pk, question_id)
        ids = selectors.quiz_question_ids(quiz_id=quiz.pk)
        choices = _choices_of(question)
        answers = self._preview_answers(request, quiz)
        error, status = "", 200
        try:
            answer = stage._parse_answer(request)
        except (ValueError, OverflowError):
            error = _gettext("That answer could not be read. Pick an answer and try again.")
            status = 400
        else:
            error, status = self._preview_record(question, answer, choices, answers)
            if not error:
                self._preview_store(request, quiz, answers)
        if not request.htmx:
            if error:
                messages.error(request, error)
            return HttpResponseRedirect(
                reverse("admin:quiz_quiz_preview_question", args=[quiz.pk, question.pk])
            )
        index = ids.index(question.pk)
        return self._preview_stage(
            request,
            quiz,
            question,
            ids,
            answers,
            choices=choices,
            pending_after=ids[index + 1] if index + 1 < len(ids) else None,
            after_answer=True,
            error=error,
            status=status,
        )

    def _preview_record(
        self, question: Question, answer: Answer, choices: list[Choice], answers: dict
    ) -> tuple[str, int]:
        """Grade the answer into `answers`; return an error and its status, if any."""
        stored = answers.get(str(question.pk))
        if stored is not None:
            if answer.matches(self._preview_response(question, stored)):
                return "", 200
            return (
                _gettext("You have already answered this question; your first answer stands."),
                409,
            )
        body = question.article.body if question.article_id else ""
        try:
            choice, is_correct = answer_grade(question, answer, body, choices)
        except ValidationError as refusal:
            return " ".join(refusal.messages), 400
        answers[str(question.pk)] = {
            "choice": choice.pk if choice else None,
            "start": answer.start if choice is None else None,
            "end": answer.end if choice is None else None,
            "correct": is_correct,
            "points": question.points if is_correct else 0,
        }
        return "", 200

    def preview_finish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Show the preview's score and answers, then forget them."""
        quiz = self._preview_quiz(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:quiz_quiz_preview", args=[quiz.pk]))
        answers = self._preview_answers(request, quiz)
        questions = list(
            Question.objects.filter(quiz_items__quiz=quiz)
            .prefetch_related("choices")
            .order_by("quiz_items__position", "quiz_items__pk")
        )
        review = []
        for question in questions:
            response = self._preview_response(question, answers.get(str(question.pk)))
            choices = list(question.choices.all())
            review.append(
                {
                    "question": question,
                    "response": response,
                    "chosen": next(
                        (c for c in choices if response and c.pk == response.choice_id), None
                    ),
                    "correct": [c for c in choices if c.is_correct],
                }
            )
        self._preview_store(request, quiz, None)
        return TemplateResponse(
            request,
            "quiz/preview/results.html",
            {
                "quiz": quiz,
                "review": review,
                "score": sum(item["response"].points for item in review if item["response"]),
                "max_score": sum(question.points for question in questions),
                "change_url": self._change_url(quiz),
                "preview_url": reverse("admin:quiz_quiz_preview", args=[quiz.pk]),
            },
        )

    def preview_restart_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Forget this preview's answers and start again."""
        quiz = self._preview_quiz(request, object_id)
        if request.method == "POST":
            self._preview_store(request, quiz, None)
        return HttpResponseRedirect(reverse("admin:quiz_quiz_preview", args=[quiz.pk]))


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
