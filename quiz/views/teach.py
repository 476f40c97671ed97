"""What teachers see under /teach/: their classes, rosters, assignments and scores."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from quiz.roles import is_teacher


def teacher_required(view):
    """Let only teachers through; everyone else gets 403 (anonymous users never get here)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_teacher(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@teacher_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "quiz/teach_dashboard.html")
