"""What Sourcewise keeps about learning platforms, beside django-lti's own tables.

django-lti (`lti_tool`) holds the registrations, deployments, our key pairs, and the
platform's users, courses (contexts), memberships and resource links. These models tie them to
ours: a platform user to an account, a course to a class, a placed link to an assignment, and
the grade posts still owed to the platform.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from lti_tool.models import LtiContext, LtiRegistration, LtiResourceLink

from quiz.models import Assignment, Attempt, Classroom


def origin_of(url: str) -> str:
    """The origin ("https://school.example") of an absolute URL, or "" if it has none."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


class PlatformSettings(models.Model):
    """Our settings for one registered platform: the web origins that may frame Sourcewise."""

    registration = models.OneToOneField(
        LtiRegistration,
        on_delete=models.CASCADE,
        related_name="sourcewise",
        verbose_name=_("registration"),
    )
    frame_origins = models.TextField(
        _("origins that may show Sourcewise in a frame"),
        blank=True,
        help_text=_(
            "One per line, such as https://school.instructure.com: the addresses of the pages "
            "the platform shows its courses on. The issuer's origin is always allowed."
        ),
    )

    class Meta:
        verbose_name = _("platform settings")
        verbose_name_plural = _("platform settings")

    def __str__(self) -> str:
        return str(self.registration)


class LaunchNonce(models.Model):
    """A launch's nonce, kept so that the same signed launch is accepted once only."""

    issuer = models.CharField(_("issuer"), max_length=255)
    nonce = models.CharField(_("nonce"), max_length=255)
    used_at = models.DateTimeField(_("used"), auto_now_add=True)

    class Meta:
        verbose_name = _("launch nonce")
        verbose_name_plural = _("launch nonces")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "nonce"], name="lti_nonce_once"),
        ]

    def __str__(self) -> str:
        return self.nonce


class CourseClass(models.Model):
    """The Sourcewise class that stands for a platform course."""

    context = models.OneToOneField(
        LtiContext, on_delete=models.CASCADE, related_name="sourcewise", verbose_name=_("course")
    )
    classroom = models.OneToOneField(
        Classroom, on_delete=models.CASCADE, related_name="lti_course", verbose_name=_("class")
    )
    roster_synced_at = models.DateTimeField(_("roster synced"), null=True, blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return str(self.classroom)


class PlacedLink(models.Model):
    """A quiz placed in a platform course: the resource link, its assignment, its grade column."""

    assignment = models.OneToOneField(
        Assignment,
        on_delete=models.CASCADE,
        related_name="lti_link",
        verbose_name=_("assignment"),
    )
    resource_link = models.OneToOneField(
        LtiResourceLink,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sourcewise",
        verbose_name=_("resource link"),
        help_text=_("Set at the link's first launch: the platform names the link then."),
    )
    lineitem_url = models.URLField(
        _("grade column"), max_length=500, blank=True, help_text=_("The AGS line item's URL.")
    )
    lineitems_url = models.URLField(_("course grade columns"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("placed"), auto_now_add=True)

    class Meta:
        verbose_name = _("placed quiz")
        verbose_name_plural = _("placed quizzes")

    def __str__(self) -> str:
        return str(self.assignment)


class ScorePost(models.Model):
    """A student's score at one placed quiz, owed to or sent to the platform (the outbox).

    A change (a hand-in, a regrade, the assignment closing) sets `wanted_at`; the worker
    (`manage.py lti_scores_send`) then posts the score the gradebook counts at that moment and
    clears `wanted_at`, unless another change came meanwhile. The row is written in the
    transaction that changed the score, so no change is lost, and a worker that dies mid-post
    leaves it wanted: the next worker posts it once its lease runs out.
    """

    link = models.ForeignKey(
        PlacedLink, on_delete=models.CASCADE, related_name="score_posts", verbose_name=_("quiz")
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lti_score_posts",
        verbose_name=_("student"),
    )
    wanted_at = models.DateTimeField(
        _("changed"), null=True, blank=True, help_text=_("Empty when nothing is owed.")
    )
    next_try_at = models.DateTimeField(_("next try"), null=True, blank=True)
    lease_until = models.DateTimeField(_("being sent until"), null=True, blank=True)
    tries = models.PositiveIntegerField(_("failed tries"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_score = models.PositiveIntegerField(_("score sent"), null=True, blank=True)
    sent_maximum = models.PositiveIntegerField(_("out of"), null=True, blank=True)
    sent_state = models.CharField(_("state sent"), max_length=200, blank=True)
    sent_attempt = models.ForeignKey(
        Attempt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attempt sent"),
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("grade post")
        verbose_name_plural = _("grade posts")
        constraints = [
            models.UniqueConstraint(fields=["link", "student"], name="lti_score_post_once"),
        ]
        indexes = [models.Index(fields=["wanted_at", "next_try_at"], name="lti_score_due")]

    def __str__(self) -> str:
        return f"{self.student} in {self.link}"

    @property
    def is_pending(self) -> bool:
        return self.wanted_at is not None
