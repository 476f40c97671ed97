"""Calls from Sourcewise to a platform's services (AGS, NRPS), through pylti1p3."""

import requests
from lti_tool.models import LtiRegistration
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.service_connector import ServiceConnector

HTTP_TIMEOUT = 15  # seconds per request to a platform

# What a platform that is down, or answers nonsense, makes pylti1p3 and requests raise.
PLATFORM_ERRORS = (LtiException, requests.RequestException, ValueError, KeyError, TypeError)


class _PlatformSession(requests.Session):
    """A requests session that never waits on a platform for ever."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        return super().request(*args, **kwargs)


def platform_session() -> requests.Session:
    """A requests session for calls to a platform, each with a time limit."""
    return _PlatformSession()


def connector_for(registration: LtiRegistration) -> ServiceConnector:
    """A connector that gets access tokens with our key and calls the platform's services."""
    return ServiceConnector(registration.to_registration(), requests_session=platform_session())


def error_text(error: Exception) -> str:
    """A sentence for a teacher about what went wrong talking to the platform."""
    if isinstance(error, LtiServiceException):
        return f"The platform answered {error.response.status_code}."
    if isinstance(error, requests.Timeout):
        return "The platform did not answer in time."
    if isinstance(error, requests.RequestException):
        return "The platform could not be reached."
    return str(error)[:500] or type(error).__name__
