"""Who may show Sourcewise in a frame: registered platforms, on LTI pages only.

Everywhere else the site keeps `frame-ancestors 'none'` (and X-Frame-Options DENY). A launch
from a platform allows that platform's origins for the launch itself and for the pages of the
session it starts, so a student who opened a quiz inside their course can take it there.
"""

from http.cookies import Morsel

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from lti_tool.models import LtiRegistration

from lti.models import PlatformSettings, origin_of

SESSION_KEY = "lti_frame_origins"


def frame_origins_of(registration: LtiRegistration) -> list[str]:
    """The origins that may frame Sourcewise for this platform: its issuer's and its own list."""
    origins = [origin_of(registration.issuer)]
    extra = PlatformSettings.objects.filter(registration=registration).first()
    if extra is not None:
        origins += [origin_of(line) for line in extra.frame_origins.splitlines()]
    return sorted({origin for origin in origins if origin})


def frame_allow(response: HttpResponse, origins: list[str]) -> HttpResponse:
    """Let these origins, and no others, show the response in a frame."""
    if origins:
        response._csp_replace = {"frame-ancestors": list(origins)}
        response.xframe_options_exempt = True
    return response


class FramingMiddleware:
    """Allow framing by the platform a session was launched from, on that session's pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session the request read already: reading it here would cost a query on
        # pages that never look at it (and those are not pages a launch leads to).
        if session is not None and session.accessed and not hasattr(response, "_csp_replace"):
            origins = session.get(SESSION_KEY)
            if origins and isinstance(origins, list):
                frame_allow(response, [str(origin) for origin in origins])
        return response


def _cookies_learn_partitioned() -> None:
    """Let Python's cookies carry the Partitioned attribute, as Python 3.14's do."""
    if "partitioned" not in Morsel._reserved:
        Morsel._reserved["partitioned"] = "Partitioned"
        Morsel._flags.add("partitioned")


class PartitionedCookiesMiddleware:
    """Mark every cookie that is SameSite=None and Secure as Partitioned (CHIPS).

    Browsers that block third-party cookies (Chromium's own builds, private windows) still
    keep a partitioned one, kept apart for each site that frames Sourcewise: a launch inside a
    course's page then works in the frame instead of needing a window of its own. At the top
    level the partition is Sourcewise's own site, so nothing changes there. Listed before the
    session and CSRF middleware, so it sees their cookies.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        _cookies_learn_partitioned()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.LTI_COOKIES_PARTITIONED:
            for morsel in response.cookies.values():
                if str(morsel["samesite"]).lower() == "none" and morsel["secure"]:
                    morsel["partitioned"] = True
        return response
