"""Who may use what: the teachers' pages, and a student's own work. Shared by every view
module that serves them."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from accounts.roles import is_teacher
from quiz import selectors
from quiz.models import Classroom


def teacher_required(view):
    """Let only teachers through; everyone else gets 403 (anonymous users never get here)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_teacher(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def student_work_in_class(request: HttpRequest, model: type[Model], pk: int):
    """The signed-in student's own attempt or practice set (`model`), while they are still in
    its class; anything else is a 404, so its existence does not leak."""
    return get_object_or_404(
        model.objects.select_related("assignment__quiz", "assignment__classroom"),
        pk=pk,
        student=request.user,
        assignment__classroom__enrollments__student=request.user,
    )


def taught_or_404(request: HttpRequest, queryset, pk: int, *, through: str = "classroom"):
    """The object `pk` of `queryset` whose class (reached by the lookup `through`) the
    signed-in teacher teaches; anything else is a 404, so its existence does not leak."""
    taught = selectors.classrooms_taught(teacher=request.user)
    return get_object_or_404(queryset.filter(**{f"{through}__in": taught}), pk=pk)


def classroom_for_teacher(request: HttpRequest, pk: int) -> Classroom:
    """A class the signed-in teacher teaches (anything else: 404)."""
    return get_object_or_404(selectors.classrooms_taught(teacher=request.user), pk=pk)
