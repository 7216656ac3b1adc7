"""Keeping spam out of the residents' form (P7.1) without a third party: no CAPTCHA service, no
tracking script, no cookie. Four cheap checks, each answered with a page a person understands:

- **Size.** A request body over `PORTAL_MAX_BODY_BYTES` is refused with 413 before it is parsed.
  The default, 48 kB, is more than "about 20 kB" on purpose: the message may hold 5,000
  characters, and a resident writing in a script outside Latin-1 (Arabic, Cyrillic, Chinese)
  sends up to nine bytes per character once the form encodes it; 20 kB would refuse a long
  message in Arabic that the form itself allows.
- **Rate.** At most `PORTAL_RATE_LIMIT_PER_IP` messages per `PORTAL_RATE_LIMIT_IP_SECONDS` from
  one address, and `PORTAL_RATE_LIMIT_PER_MUNICIPALITY` per `PORTAL_RATE_LIMIT_MUNICIPALITY_SECONDS`
  to one municipality (a ceiling against a flood from many addresses), answered with 429. The
  counters live in Django's cache. The address is never stored: the key holds a keyed hash of it
  (HMAC with the installation's secret key), which cannot be turned back into the address.
  Only what looks like a message counts: sent ones, and ones refused as spam; a resident who
  corrects an error in the form uses up nothing.
- **Honeypot.** A field humans do not see, and are told to leave empty. A filled one is refused
  with a 400 and the form again, with everything the resident wrote but the hidden field, rather
  than a pretended success: a person whose browser filled it in by itself (autofill, some
  assistive software) would otherwise believe a message was sent that never reached anyone, and a
  letter to the municipality is a public record that must not vanish silently. A bot gains
  nothing from the 400 that it would not learn from a missing receipt.
- **Links.** A message with more than `PORTAL_MAX_LINKS` web addresses is refused as likely spam
  (a form error: the resident can remove some and send again).
"""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from stadga.core.net import client_ip

# The honeypot's field name: one a form-filling bot finds worth filling.
HONEYPOT_FIELD = "website"

_DEFAULTS = {
    "PORTAL_MAX_BODY_BYTES": 48 * 1024,
    "PORTAL_RATE_LIMIT_PER_IP": 5,
    "PORTAL_RATE_LIMIT_IP_SECONDS": 10 * 60,
    "PORTAL_RATE_LIMIT_PER_MUNICIPALITY": 100,
    "PORTAL_RATE_LIMIT_MUNICIPALITY_SECONDS": 60 * 60,
    "PORTAL_MAX_LINKS": 5,
}

_LINK = re.compile(r"(?i)(?:\bhttps?://|\bwww\.)")


def setting(name: str) -> int:
    """A limit from the settings, read at each use (so that it can be changed in tests)."""
    return int(getattr(settings, name, _DEFAULTS[name]))


def body_too_large(request: HttpRequest) -> bool:
    """Whether the request says it carries more than the limit (read before the body is)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > setting("PORTAL_MAX_BODY_BYTES")


def link_count(text: str) -> int:
    return len(_LINK.findall(text or ""))


def too_many_links(text: str) -> bool:
    return link_count(text) > setting("PORTAL_MAX_LINKS")


def honeypot_filled(data: object) -> bool:
    value = data.get(HONEYPOT_FIELD, "") if hasattr(data, "get") else ""
    return bool(str(value or "").strip())


def client_hash(request: HttpRequest) -> str:
    """A keyed hash of the client's address (stadga.core.net.client_ip: REMOTE_ADDR, or the
    proxy's X-Forwarded-For behind one). Not reversible without the secret key."""
    address = client_ip(request)
    return salted_hmac("stadga.portal.spam.client", address).hexdigest()[:32]


def _windows(request: HttpRequest, municipality_id: int) -> list[tuple[str, int, int]]:
    """(cache key, limit, seconds) of the current window of each counter."""
    now = int(time.time())
    ip_seconds = setting("PORTAL_RATE_LIMIT_IP_SECONDS")
    m_seconds = setting("PORTAL_RATE_LIMIT_MUNICIPALITY_SECONDS")
    return [
        (
            f"portal:rate:client:{client_hash(request)}:{now // ip_seconds}",
            setting("PORTAL_RATE_LIMIT_PER_IP"),
            ip_seconds,
        ),
        (
            f"portal:rate:municipality:{municipality_id}:{now // m_seconds}",
            setting("PORTAL_RATE_LIMIT_PER_MUNICIPALITY"),
            m_seconds,
        ),
    ]


def rate_limited(request: HttpRequest, municipality_id: int) -> bool:
    """Whether the client, or the municipality as a whole, has reached its limit."""
    windows = _windows(request, municipality_id)
    counts = cache.get_many([key for key, _limit, _seconds in windows])
    return any(int(counts.get(key, 0)) >= limit for key, limit, _seconds in windows)


def count_message(request: HttpRequest, municipality_id: int) -> None:
    """Count one message (sent, or refused as spam) against both limits."""
    for key, _limit, seconds in _windows(request, municipality_id):
        cache.add(key, 0, timeout=seconds)
        try:
            cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=seconds)
