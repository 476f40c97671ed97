"""Sharing with another teacher of this Sourcewise: the recipient gets copies they own.

There is no school model: the teachers of one installation are one school. Between
installations an annotated article travels as a W3C Web Annotation export instead.

Each share is recorded as an addition in the admin's history of the copy, by the sender, so
the copy's History page says where it came from and the recipient's dashboard can list it.
"""

from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from accounts.roles import is_teacher
from articles.models import Annotation, Article
from articles.services import article_copy
from quiz.models import Choice, Question, Quiz, QuizQuestion
from quiz.services.authoring import quiz_duplicate
from quiz.services.roster import display_name


def _share_check(*, owner_id: int, sender, recipient) -> None:
    """Refuse a share by anyone but the owner, to oneself, or to someone who does not teach."""
    if owner_id != sender.pk and not sender.is_superuser:
        raise ValidationError(_("Only its owner can share this."))
    if recipient.pk == sender.pk:
        raise ValidationError(_("Choose another teacher: this is your own account."))
    if not is_teacher(recipient):
        raise ValidationError(
            _("%(name)s is not a teacher here, so nothing was shared.")
            % {"name": display_name(recipient)}
        )


def _share_record(*, sender, copy: models.Model, original: models.Model) -> None:
    LogEntry.objects.log_actions(
        user_id=sender.pk,
        queryset=[copy],
        action_flag=ADDITION,
        change_message=_("Shared by %(name)s, a copy of “%(title)s”.")
        % {"name": display_name(sender), "title": str(original)},
        single_object=True,
    )


def _values(instance: models.Model, *, leave_out: set[str]) -> dict:
    """The instance's stored values but its id, its timestamps and the fields left out."""
    leave_out = leave_out | {"id", "created_at", "updated_at"}
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.name not in leave_out
    }


@transaction.atomic
def article_share(*, article: Article, sender, recipient) -> Article:
    """Give `recipient` an editable copy of the article with its sources and annotations."""
    _share_check(owner_id=article.owner_id, sender=sender, recipient=recipient)
    copy = article_copy(article=article, owner=recipient).article
    _share_record(sender=sender, copy=copy, original=article)
    return copy


@transaction.atomic
def quiz_share(*, quiz: Quiz, sender, recipient) -> Quiz:
    """Give `recipient` a copy of the quiz that is all theirs: its questions with their
    choices, and the articles the questions come from with their sources and annotations.

    The copy is unpublished, under the same title; the original is left as it is.
    """
    _share_check(owner_id=quiz.owner_id, sender=sender, recipient=recipient)
    # The teacher's own duplicate (same questions, same order), then every question replaced
    # by the recipient's copy of it.
    copy = quiz_duplicate(quiz=quiz, owner=recipient)
    copy.title = quiz.title
    copy.full_clean()
    copy.save(update_fields=["title", "updated_at"])
    items = list(QuizQuestion.objects.filter(quiz=copy).select_related("question"))
    questions = [item.question for item in items]

    article_ids = {question.article_id for question in questions if question.article_id}
    annotation_ids = {question.annotation_id for question in questions if question.annotation_id}
    article_ids |= set(
        Annotation.objects.filter(pk__in=annotation_ids).values_list("article_id", flat=True)
    )
    articles, annotations = {}, {}
    for article in Article.objects.filter(pk__in=article_ids).order_by("pk"):
        copied = article_copy(article=article, owner=recipient)
        articles[article.pk] = copied.article
        annotations.update(copied.annotations)

    # Copied as they are: each was validated when it was saved, and its article's text is
    # the same in the copy, so its spans still point at the same words.
    question_copies = Question.objects.bulk_create(
        Question(
            owner=recipient,
            article=articles.get(question.article_id),
            annotation=annotations.get(question.annotation_id),
            **_values(question, leave_out={"owner", "article", "annotation"}),
        )
        for question in questions
    )
    copies = {
        question.pk: question_copy
        for question, question_copy in zip(questions, question_copies, strict=True)
    }
    Choice.objects.bulk_create(
        Choice(question=copies[choice.question_id], **_values(choice, leave_out={"question"}))
        for choice in Choice.objects.filter(question__in=questions).order_by("pk")
    )
    for item in items:
        item.question = copies[item.question_id]
    QuizQuestion.objects.bulk_update(items, ["question"])
    _share_record(sender=sender, copy=copy, original=quiz)
    return copy
