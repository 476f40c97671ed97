"""The address a request comes from, as the join throttle counts it."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """Return the client's address: REMOTE_ADDR, or the one the outermost of our proxies saw.

    Each proxy appends the address it was reached from to X-Forwarded-For, so behind PROXY_COUNT
    proxies the client's address is that many entries from the right; anything further left is
    whatever the client chose to send.
    """
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(forwarded) >= proxies:
            address = forwarded[-proxies].strip()
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR", "")
