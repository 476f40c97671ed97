from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form, refusing over-long usernames before anything is looked up.

    Django sets the username's max_length after the field is built, so its length validator
    never runs; an over-long name would reach the authentication backends (and the login
    throttling records, whose column is shorter).
    """

    def clean_username(self):
        username = self.cleaned_data.get("username", "")
        limit = get_user_model()._meta.get_field("username").max_length
        if len(username) > limit:
            raise forms.ValidationError(
                _("Usernames are at most %(limit)d characters.") % {"limit": limit}
            )
        return username
