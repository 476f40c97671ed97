"""Registering platforms in the admin: django-lti's registration page, with our settings."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from lti_tool.admin import LtiRegistrationAdmin
from lti_tool.models import LtiRegistration

from accounts.admin import PermissionFirstHistoryMixin
from lti.models import PlatformSettings


class PlatformSettingsInline(admin.StackedInline):
    model = PlatformSettings
    can_delete = False
    verbose_name_plural = _("Framing")


class RegistrationAdmin(PermissionFirstHistoryMixin, LtiRegistrationAdmin):
    """A platform's registration: its issuer, client id, deployment ids and endpoints."""

    inlines = [*LtiRegistrationAdmin.inlines, PlatformSettingsInline]
    readonly_fields = ["configuration_link"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return [(None, {"fields": ["configuration_link"]}), *fieldsets]

    @admin.display(description=_("Values for the platform"))
    def configuration_link(self, obj=None):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("lti:configuration"),
            _("What to paste into the platform (login, launch and key set URLs, scopes)"),
        )

    def has_module_permission(self, request):
        return request.user.is_superuser


admin.site.unregister(LtiRegistration)
admin.site.register(LtiRegistration, RegistrationAdmin)
