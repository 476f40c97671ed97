"""Reads for sharing: the teachers one may share with, and what others have shared with one."""

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast

from accounts.roles import TEACHERS_GROUP
from articles.models import Article
from quiz.models import Quiz

SHARED_WITH_LIMIT = 20  # the most recent shares listed; older copies are in the admin's lists


def share_recipients(*, sender) -> QuerySet:
    """The other active teachers of this installation, by name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name=TEACHERS_GROUP)
        .exclude(pk=sender.pk)
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


def shared_with(*, teacher, limit: int = SHARED_WITH_LIMIT) -> list[LogEntry]:
    """The quizzes and articles other teachers shared with `teacher` that they still own,
    newest first: each the admin's record of the copy being added by its sender."""
    content_types = ContentType.objects.get_for_models(Quiz, Article)

    def owned(model) -> Q:
        ids = model.objects.filter(owner=teacher).annotate(key=Cast("pk", CharField()))
        return Q(content_type=content_types[model], object_id__in=ids.values("key"))

    return list(
        LogEntry.objects.filter(owned(Quiz) | owned(Article), action_flag=ADDITION)
        .exclude(user=teacher)
        .select_related("user", "content_type")
        .order_by("-action_time", "-pk")[:limit]
    )


def quizzes_to_share(*, teacher) -> QuerySet:
    """The teacher's own quizzes, newest first, with how many questions each has."""
    return (
        Quiz.objects.filter(owner=teacher)
        .annotate(question_count=Count("items"))
        .order_by("-updated_at", "-pk")
    )


def articles_to_share(*, teacher) -> QuerySet:
    """The teacher's own articles, newest first, with how many annotations each has."""
    return (
        Article.objects.filter(owner=teacher)
        .select_related("outlet")
        .annotate(annotation_count=Count("annotations"))
        .order_by("-updated_at", "-pk")
    )
