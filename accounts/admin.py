"""Hardening of the admins that come with Django and django-axes (users, groups, logins)."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _


# Django's and django-axes' own admins look an object up before checking the model permission
# in their history view, so a teacher (with no permission on users, groups or login records)
# could tell which ids exist from 403 versus "does not exist". Check the permission first.
class PermissionFirstHistoryMixin:
    def history_view(self, request, object_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)


def _guard_history(model) -> None:
    registered = admin.site._registry.get(model)
    if registered is None or isinstance(registered, PermissionFirstHistoryMixin):
        return
    guarded = type(
        f"Guarded{type(registered).__name__}", (PermissionFirstHistoryMixin, type(registered)), {}
    )
    admin.site.unregister(model)
    admin.site.register(model, guarded)


class UserChangeForm(auth_forms.UserChangeForm):
    """Django's, refusing a username that differs from another only in case.

    The database refuses it too (accounts' migration 0001); without this check the admin
    would fail with an error page instead of saying what is wrong.
    """

    def clean_username(self):
        username = self.cleaned_data["username"]
        others = User.objects.exclude(pk=self.instance.pk)
        if others.filter(username__iexact=username).exists():
            raise ValidationError(
                _("A user with that username already exists (usernames ignore case).")
            )
        return username


class UserAdmin(PermissionFirstHistoryMixin, auth_admin.UserAdmin):
    form = UserChangeForm


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
for _model in (Group, AccessAttempt, AccessLog, AccessFailureLog):
    _guard_history(_model)
