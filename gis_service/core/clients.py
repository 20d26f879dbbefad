"""Who is asking: the client's address as every limit and check of ours sees it."""

from __future__ import annotations

import ipaddress

from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the one X-Forwarded-For gives behind NUM_PROXIES proxies."""
    return str(BaseThrottle().get_ident(request) or "")  # type: ignore[arg-type]


def from_this_machine(request: HttpRequest) -> bool:
    """Whether the client is this machine (a container's own healthcheck, an operator's curl)."""
    try:
        return ipaddress.ip_address(client_address(request)).is_loopback
    except ValueError:  # no address, or not one
        return False
