"""The time zone a person reads dates and times in: chosen once, kept in their session."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

SESSION_KEY = "time_zone"


@cache
def time_zone_names() -> tuple[str, ...]:
    """The zones a person may choose: "Europe/London" and the like, and UTC."""
    names = {
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    }
    return ("UTC", *sorted(names))


def time_zone_validate(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            _("“%(value)s” is not a time zone we know. Pick one from the list."),
            code="time_zone",
            params={"value": value},
        )


def time_zone_remember(request: HttpRequest, zone: str) -> None:
    """Show this request and the rest of the session's in `zone`."""
    request.session[SESSION_KEY] = zone
    timezone.activate(zoneinfo.ZoneInfo(zone))


def time_zone_of_session(request: HttpRequest) -> zoneinfo.ZoneInfo | None:
    """The zone the session was given at login or since, if any still valid."""
    session = getattr(request, "session", None)
    zone = session.get(SESSION_KEY) if session is not None else None
    if not isinstance(zone, str) or zone not in time_zone_names():
        return None
    return zoneinfo.ZoneInfo(zone)
