"""Finding what a management command's arguments name, or saying that nothing has that name."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from articles.models import Article


def article_by_slug(slug: str) -> Article:
    """Return the article with this slug, or raise CommandError saying there is none."""
    article = Article.objects.filter(slug=slug).first()
    if article is None:
        raise CommandError(f"No article has the slug “{slug}”.")
    return article


def user_by_username(username: str):
    """Return the user with this username, or raise CommandError saying there is none."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user has the username “{username}”.")
    return user
