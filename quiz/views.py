from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
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
def home(request: HttpRequest) -> HttpResponse:
    """Send each person where they work: teachers to their classes, students to theirs."""
    if is_teacher(request.user):
        return redirect("quiz:teach_dashboard")
    return redirect("quiz:my_classes")


@require_GET
def my_classes(request: HttpRequest) -> HttpResponse:
    return render(request, "quiz/my_classes.html")


@require_GET
@teacher_required
def teach_dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "quiz/teach_dashboard.html")
