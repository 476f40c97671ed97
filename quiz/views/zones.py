"""The time zone dates and times are shown in: remembered at login, chosen by a teacher."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.models import Preferences
from accounts.roles import is_teacher
from accounts.timezones import time_zone_names, time_zone_remember
from quiz import selectors
from quiz.views.access import teacher_required


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        choices=lambda: [(name, name.replace("_", " ")) for name in time_zone_names()],
        help_text=gettext_lazy(
            "Opening and due times are typed and shown in this zone, and your students see "
            "them in it too."
        ),
    )


def time_zone_at_login(sender, request: HttpRequest, user, **kwargs) -> None:
    """Keep the person's time zone in the session they start.

    A teacher who has never chosen one gets the zone their browser reports at login (the
    login page sends it when JavaScript runs), rather than the site's.
    """
    if getattr(request, "session", None) is None:
        return
    reported = request.POST.get("time_zone", "") if request.method == "POST" else ""
    if reported in time_zone_names() and is_teacher(user):
        Preferences.objects.get_or_create(user=user, defaults={"time_zone": reported})
    time_zone_remember(request, selectors.user_time_zone(user=user))


@require_http_methods(["GET", "POST"])
@teacher_required
def time_zone_settings(request: HttpRequest) -> HttpResponse:
    """A teacher chooses the time zone of their dates and times (and their students')."""
    back = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    current = selectors.user_time_zone(user=request.user)
    form = TimeZoneForm(request.POST or None, initial={"time_zone": current})
    if request.method == "POST" and form.is_valid():
        zone = form.cleaned_data["time_zone"]
        Preferences.objects.update_or_create(user=request.user, defaults={"time_zone": zone})
        time_zone_remember(request, zone)
        messages.success(request, _("Dates and times are now shown in %(zone)s.") % {"zone": zone})
        return redirect(back or "quiz:teach_dashboard")
    return render(
        request, "quiz/teach/time_zone.html", {"form": form, "current": current, "next": back}
    )
