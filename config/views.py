"""Project-level views that belong to no app."""

import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.sessions import REDIS_UNREACHABLE

logger = logging.getLogger(__name__)

# What a request cannot be served without, answered 503 "try again shortly" rather than 500.
OUTAGES = (DatabaseError, *REDIS_UNREACHABLE)
RETRY_AFTER_SECONDS = "5"


def unavailable(body: str, **kwargs) -> HttpResponse:
    """A 503 that tells clients and load balancers when to try again."""
    response = HttpResponse(body, status=503, **kwargs)
    response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


@require_GET
@never_cache
@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer 200 when the database (and Redis, with REDIS_URL) answer, 503 when one does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("healthz: database unreachable", exc_info=True)
        return unavailable("database unavailable\n", content_type="text/plain")
    if settings.REDIS_URL:
        # Sessions live in Redis alone: without it nobody can sign in or stay signed in.
        try:
            cache.get("healthz")
        except REDIS_UNREACHABLE:
            logger.warning("healthz: Redis unreachable", exc_info=True)
            return unavailable("redis unavailable\n", content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


# The benchmark (bench/) measures this through the full middleware stack as the framework's
# ceiling on the machine; routed only with BENCH_BASELINE on. Login-exempt, so no session or
# user is loaded (that would be database work).
@require_GET
@login_not_required
def bench_baseline(request: HttpRequest) -> HttpResponse:
    """Answer a short constant text without touching the database, the cache or the session."""
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer an unexpected error in words: 503 when the database or Redis is unreachable.

    Every request that meets an outage ends here, wherever it met it (the session read, a view,
    the session save), and is told to send again: safe, since an answer sent twice is stored
    once and the second reply shows it. A page is rendered without a request context, which
    would need the database (user, session); an htmx request gets one sentence in plain text,
    which static/js/site.js shows in the page it came from, where the form and what the student
    chose are still there to send again.
    """
    exception = sys.exc_info()[1]
    if not isinstance(exception, OUTAGES):
        return HttpResponse(render_to_string("500.html"), status=500)
    if request.headers.get("HX-Request") != "true":
        return unavailable(render_to_string("503.html"))
    if request.method in ("GET", "HEAD"):
        message = gettext(
            "Sourcewise is unavailable for a moment. Wait a few seconds and try again."
        )
    else:
        message = gettext(
            "Not saved: Sourcewise is unavailable for a moment. "
            "Wait a few seconds and send it again."
        )
    return unavailable(message, content_type="text/plain; charset=utf-8")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain an expired or foreign form in words, with our layout."""
    return render(request, "403_csrf.html", status=403)


@login_not_required  # the admin's own login page handles anonymous visitors
def admin_view_on_site(request: HttpRequest, content_type_id: str, object_id: str) -> HttpResponse:
    """Django's "view on site" redirect, for superusers only.

    Django's own version sends any staff user to any object's page without asking whether
    they may see it, which tells a teacher that another teacher's draft exists and its slug.
    Our admin pages link to the objects directly, so teachers never need it.
    """
    from django.contrib.contenttypes.views import shortcut
    from django.http import Http404

    if not (request.user.is_active and request.user.is_superuser):
        raise Http404
    return shortcut(request, content_type_id, object_id)
