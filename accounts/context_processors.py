from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.roles import is_teacher


def roles(request: HttpRequest) -> dict:
    """Expose `is_teacher` to templates, asked only when a template uses it."""
    return {"is_teacher": SimpleLazyObject(lambda: is_teacher(request.user))}
