"""Checking a launch from a platform: the OIDC login step and the signed id_token.

The protocol is pylti1p3's (through django-lti's tool configuration): the id_token's signature
against the platform's key set, its issuer, audience, deployment, nonce and expiry. Two rules
are ours: a deployment must be registered and active (django-lti would add an unknown one), and
a nonce is accepted once, recorded in the database in the transaction that acts on the launch.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from lti_tool.models import Key, LtiDeployment, LtiRegistration
from lti_tool.utils import DjangoToolConfig
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.contrib.django.cookie import DjangoCookieService
from pylti1p3.contrib.django.request import DjangoRequest
from pylti1p3.contrib.django.session import DjangoSessionService
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException, OIDCException

from lti.connector import platform_session
from lti.models import LaunchNonce


class RegisteredOnly(DjangoToolConfig):
    """django-lti's tool configuration, except that unknown deployments are refused."""

    def find_deployment(self, iss, deployment_id):
        return self._deployment(registration__issuer=iss, deployment_id=deployment_id)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        return self._deployment(
            registration__issuer=iss,
            registration__client_id=client_id,
            deployment_id=deployment_id,
        )

    def _deployment(self, **lookups) -> Deployment | None:
        if self.registration_uuid is not None:
            lookups["registration__uuid"] = self.registration_uuid
        self.deployment = LtiDeployment.objects.filter(
            registration__is_active=True, is_active=True, **lookups
        ).first()
        if self.deployment is None:
            return None
        return Deployment().set_deployment_id(self.deployment.deployment_id)


class StateCookies(DjangoCookieService):
    """pylti1p3's state cookie, set as our session cookie is (SameSite and Secure), so that
    it reaches the launch wherever the session cookie would."""

    def update_response(self, response):
        for key, data in self._cookie_data_to_set.items():
            response.set_cookie(
                key,
                data["value"],
                max_age=data["exp"],
                path="/",
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE or self._request.is_secure(),
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )


def _protocol_parts(request: HttpRequest, *, post_only: bool = False) -> tuple[DjangoRequest, dict]:
    """pylti1p3's view of the request, and the services it is built with: the session, our
    state cookies, and the cache for the state and nonce between login and launch."""
    wrapped = DjangoRequest(request, post_only=post_only)
    return wrapped, {
        "session_service": DjangoSessionService(request),
        "cookie_service": StateCookies(wrapped),
        "launch_data_storage": DjangoCacheDataStorage(),
    }


class LaunchRefused(Exception):
    """A launch that was not accepted, with what to tell the person who was sent here."""

    def __init__(self, message: str, *, reason: str, status: int = 403):
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.status = status


# pylti1p3 names what failed in its messages; each reason gets a message a person can act on.
_REFUSALS = [
    (
        ("Missing state", "State not found", "cookie"),
        "state",
        _(
            "This launch could not be matched to its sign-in step: it took too long, or your "
            "browser blocked Sourcewise's cookie. Go back to your course and open the activity "
            "again."
        ),
    ),
    (
        ("nonce",),
        "nonce",
        _("This launch has expired. Go back to your course and open the activity again."),
    ),
    (
        ("Signature has expired", "expired"),
        "expired",
        _("This launch has expired. Go back to your course and open the activity again."),
    ),
    (
        (
            "Registration not found",
            "Client id not registered",
            "aud",
            "Could not find issuer",
            "Could not find registration",
        ),
        "registration",
        _(
            "This learning platform is not registered with Sourcewise, or the launch was meant "
            "for another tool. Ask your Sourcewise administrator to register it."
        ),
    ),
    (
        ("Unable to find deployment", "deployment"),
        "deployment",
        _(
            "This deployment of Sourcewise is not registered or has been switched off. Ask your "
            "Sourcewise administrator to add its deployment id to the platform's registration."
        ),
    ),
    (
        ("Signature verification", "Can't decode", "public key", "JWT", "key set", "Unable to"),
        "signature",
        _(
            "The platform's signature on this launch could not be verified, so Sourcewise did "
            "not act on it. If this keeps happening, ask your administrator to check the "
            "platform's key set URL."
        ),
    ),
]


NO_KEY = _(
    "Sourcewise has no signing key yet, so it cannot take launches. Ask your Sourcewise "
    "administrator to run “python manage.py lti_keys” on the server."
)


def refusal_for(error: LtiException) -> LaunchRefused:
    """The refusal for pylti1p3's error (its message names what failed)."""
    text = str(error)
    for needles, reason, message in _REFUSALS:
        if any(needle.lower() in text.lower() for needle in needles):
            return LaunchRefused(str(message), reason=reason)
    return LaunchRefused(
        str(_("This launch is not a valid LTI 1.3 launch, so Sourcewise did not act on it.")),
        reason="invalid",
        status=400,
    )


@dataclass(frozen=True)
class CheckedLaunch:
    """A launch whose id_token passed every check, with its registration and deployment."""

    message: DjangoMessageLaunch
    registration: LtiRegistration
    deployment: LtiDeployment

    @property
    def claims(self) -> dict:
        return self.message.get_launch_data()


def login_redirect(request: HttpRequest, registration: LtiRegistration, params) -> HttpResponse:
    """Answer the platform's login initiation: remember state and nonce, send the browser back
    to the platform's authorisation URL. Raises LaunchRefused if the request is not one."""
    tool_conf = RegisteredOnly(registration.uuid)
    wrapped, services = _protocol_parts(request)
    login = DjangoOIDCLogin(wrapped, tool_conf, **services)
    target = params.get("target_link_uri")
    if not target:
        raise LaunchRefused(
            str(_("The platform did not say which page to open (target_link_uri).")),
            reason="invalid",
            status=400,
        )
    try:
        return login.disable_check_cookies().redirect(target)
    except Key.DoesNotExist:
        raise LaunchRefused(NO_KEY, reason="no_key", status=503) from None
    except (LtiException, OIDCException) as error:
        raise refusal_for(LtiException(str(error))) from error


def launch_check(request: HttpRequest) -> CheckedLaunch:
    """Validate the launch POSTed by the platform; raise LaunchRefused with the reason."""
    tool_conf = RegisteredOnly()
    wrapped, services = _protocol_parts(request, post_only=True)
    try:
        # Building the launch reads pylti1p3's session cookie (over HTTPS): inside the try.
        message = DjangoMessageLaunch(
            wrapped, tool_conf, requests_session=platform_session(), **services
        )
        message.validate()
    except LtiException as error:
        raise refusal_for(error) from error
    except (KeyError, TypeError, ValueError) as error:
        # A token whose claims have the wrong shape.
        raise refusal_for(LtiException(str(error))) from error
    if tool_conf.deployment is None or tool_conf.registration is None:
        raise refusal_for(LtiException("Unable to find deployment"))
    return CheckedLaunch(
        message=message, registration=tool_conf.registration, deployment=tool_conf.deployment
    )


def nonce_use(checked: CheckedLaunch) -> None:
    """Record the launch's nonce; a second use of it is refused. Call inside a transaction."""
    claims = checked.claims
    try:
        with transaction.atomic():
            LaunchNonce.objects.create(issuer=claims["iss"], nonce=claims["nonce"])
    except IntegrityError:
        raise LaunchRefused(
            str(
                _(
                    "This launch has been used already. Go back to your course and open the "
                    "activity again."
                )
            ),
            reason="replay",
        ) from None
