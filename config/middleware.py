"""Project-wide middleware."""

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.timezones import time_zone_of_session

SESSION_TOUCHED_KEY = "_touched"


class SessionIdleTimeoutMiddleware:
    """Make a login expire after SESSION_COOKIE_AGE of inactivity rather than after login.

    Re-saving the session on every request would cost a write per answer; instead the
    expiry moves forward at most once every SESSION_REFRESH_SECONDS.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            touched = session.get(SESSION_TOUCHED_KEY, 0)
            if not isinstance(touched, int) or now - touched >= settings.SESSION_REFRESH_SECONDS:
                session[SESSION_TOUCHED_KEY] = now
        return self.get_response(request)


def session_mark_touched(sender, request: HttpRequest, user, **kwargs) -> None:
    """Start the inactivity clock at login, so the first page after it need not save."""
    if getattr(request, "session", None) is not None:
        request.session[SESSION_TOUCHED_KEY] = int(time.time())


class TimeZoneMiddleware:
    """Show dates and times in the zone the session holds (set at login), else the site's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = time_zone_of_session(request)
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        return self.get_response(request)
