"""Who is a teacher, and what the Teachers group may do."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db import transaction

TEACHERS_GROUP = "Teachers"
# The username of the teacher `manage.py demo` creates, the owner of the demo content.
DEMO_TEACHER = "demo-teacher"

# Model permissions a teacher needs to author in the admin, as (app_label, model, actions).
# Row-level scoping (a teacher sees only their own rows) is done by the admin classes.
TEACHER_PERMISSIONS: list[tuple[str, str, tuple[str, ...]]] = [
    ("articles", "outlet", ("view", "add")),
    ("articles", "article", ("view", "add", "change", "delete")),
    ("articles", "source", ("view", "add", "change", "delete")),
    ("articles", "annotation", ("view", "add", "change", "delete")),
    ("quiz", "question", ("view", "add", "change", "delete")),
    ("quiz", "choice", ("view", "add", "change", "delete")),
    ("quiz", "quiz", ("view", "add", "change", "delete")),
    ("quiz", "quizquestion", ("view", "add", "change", "delete")),
    ("quiz", "classroom", ("view", "add", "change")),
    ("quiz", "assignment", ("view", "add", "change", "delete")),
]


def is_teacher(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Return whether the user teaches: a superuser, or staff in the Teachers group."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.is_staff:
        return False
    # Cached on the user object so one request asks the database once.
    if not hasattr(user, "_is_teacher_cache"):
        user._is_teacher_cache = user.groups.filter(name=TEACHERS_GROUP).exists()
    return user._is_teacher_cache


@transaction.atomic
def teachers_group_ensure() -> Group:
    """Create the Teachers group if needed and give it exactly the teacher permissions."""
    group, _created = Group.objects.get_or_create(name=TEACHERS_GROUP)
    wanted = set()
    for app_label, model, actions in TEACHER_PERMISSIONS:
        for action in actions:
            wanted.add((app_label, f"{action}_{model}"))
    permissions = [
        permission
        for permission in Permission.objects.select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    if set(group.permissions.all()) != set(permissions):
        group.permissions.set(permissions)
    return group
