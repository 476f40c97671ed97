"""Project-level views that belong to no app."""

import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
@never_cache
@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer 200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("healthz: database unreachable", exc_info=True)
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
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
    """Answer an unexpected error with a page in words: 503 when the database is unreachable.

    Rendered without a request context, which would need the database (user, session).
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, DatabaseError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)


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
