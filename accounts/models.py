from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.timezones import time_zone_validate


class Preferences(models.Model):
    """What a person has chosen for themselves: the time zone their dates and times are in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preferences",
        verbose_name=_("user"),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[time_zone_validate],
        help_text=_("Dates and times are shown in this zone, and typed ones read in it."),
    )

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return str(self.user)
