"""What the learning-platform app does when the quiz app says something changed."""

from django.dispatch import receiver

from lti.scores import score_posts_want
from quiz.signals import scores_changed


@receiver(scores_changed, dispatch_uid="lti.score_posts_want")
def scores_changed_receive(sender, *, attempts, **kwargs) -> None:
    score_posts_want(attempts=attempts)
