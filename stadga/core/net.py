"""The client's network address, also behind a reverse proxy (P9.1).

Without a proxy the address is REMOTE_ADDR. Behind one (settings.STADGA_BEHIND_PROXY) REMOTE_ADDR
is the proxy's, and each proxy appends the address it received the request from to
X-Forwarded-For. The entries a client sent itself come first and can be anything, so the address
is read from the right: with N trusted proxies (settings.STADGA_TRUSTED_PROXY_COUNT) the N-th
entry from the right is the one the outermost trusted proxy saw, the right-most one not written by
the client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def _address(value: str) -> str | None:
    """A valid IP address in its normal form, or None (a port or brackets are tolerated)."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 192.0.2.1:443
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent the request, for rate limits and logs.

    Behind a proxy: the `STADGA_TRUSTED_PROXY_COUNT`-th address from the right of
    X-Forwarded-For; when the header has fewer entries (a request that did not pass all the
    proxies) or the entry is not an address, REMOTE_ADDR.
    """
    remote = _address(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
    if not settings.STADGA_BEHIND_PROXY:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    count = max(int(settings.STADGA_TRUSTED_PROXY_COUNT), 1)
    if len(forwarded) < count:
        return remote
    return _address(forwarded[-count]) or remote
