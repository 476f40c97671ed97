"""Who may use the teachers' pages: shared by every view module that serves them."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.roles import is_teacher


def teacher_required(view):
    """Let only teachers through; everyone else gets 403 (anonymous users never get here)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_teacher(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
