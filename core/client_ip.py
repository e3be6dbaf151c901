"""The visitor's address, for login throttling (django-axes) and the password-reset limit.

Behind kamteam's TLS proxy (BEHIND_TLS_PROXY, deploy/nginx/kamteam.conf)
every request comes from the proxy's address: throttling by it would lock
out all of an office together, or nobody at all. The proxy appends the
address it saw to X-Forwarded-For, so the *last* entry is the one we can
trust; anything before it was written by the client and may be made up.
Without the proxy setting the header is ignored entirely: a client could
otherwise choose its own address and escape the limits.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address the limits count: the proxy's last X-Forwarded-For entry, else REMOTE_ADDR.

    None where the request has no address at all (a login made by code), as
    axes' own default answers: its records keep no made-up address.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if not getattr(settings, "KAMTEAM_BEHIND_PROXY", False):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return remote  # no header, or not an address: the proxy's own request
