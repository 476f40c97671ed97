"""Registering platforms in the admin: django-lti's registration page, with our settings."""

from django import forms
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from lti_tool.admin import LtiRegistrationAdmin
from lti_tool.models import LtiDeployment, LtiRegistration

from accounts.admin import PermissionFirstHistoryMixin
from lti.models import PlatformSettings


class DeploymentForm(forms.ModelForm):
    class Meta:
        model = LtiDeployment
        fields = ["deployment_id", "is_active"]
        help_texts = {"deployment_id": _("As the platform shows it after installing the tool.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A deployment an administrator types in is meant to work; django-lti's default is off.
        if self.instance.pk is None:
            self.initial.setdefault("is_active", True)


class DeploymentInline(admin.TabularInline):
    model = LtiDeployment
    form = DeploymentForm
    fields = ["deployment_id", "is_active"]
    extra = 1


class PlatformSettingsInline(admin.StackedInline):
    model = PlatformSettings
    can_delete = False
    max_num = 1
    verbose_name = _("framing")
    verbose_name_plural = _("framing")


class RegistrationAdmin(PermissionFirstHistoryMixin, LtiRegistrationAdmin):
    """A platform's registration: its issuer, client id, deployment ids and endpoints."""

    inlines = [DeploymentInline, PlatformSettingsInline]
    readonly_fields = ["configuration_link", "uuid"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            # A platform's addresses are HTTPS; one typed without a scheme is read so.
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

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
