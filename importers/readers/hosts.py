"""Which servers a web service source may make us fetch from: public addresses only, unless
IMPORT_ALLOWED_HOSTS names the host (a name, an address or a network).

A GIS admin types the URL of a WFS or OGC API source, and the worker fetches it (and any redirect,
and every `next` link the server sends): without this, `http://127.0.0.1:8000/healthz` or the cloud
metadata service at 169.254.169.254 were read on their behalf. The host is resolved once per
connection and the connection is made to the address that was checked, so a DNS answer that changes
between the check and the connect (DNS rebinding) cannot slip an internal address through.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from importers.readers.base import ImportFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class HostRefused(ImportFailed):
    """A URL whose host is an internal address; the message says which and how to allow it."""


@dataclass(frozen=True)
class _Allowed:
    names: frozenset[str]
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


def _allowed() -> _Allowed:
    names, networks = set(), []
    for entry in settings.IMPORT_ALLOWED_HOSTS:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            names.add(entry.lower().rstrip("."))
    return _Allowed(names=frozenset(names), networks=tuple(networks))


def _internal(address: IPAddress) -> bool:
    """Loopback, private, link-local (169.254.169.254, the metadata service), shared, reserved,
    unspecified or multicast: anything but a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def refusal(host: str, address: str) -> str:
    """The one message for a refused host, at save time in the admin and when a run fetches."""
    shown = host if host == address else f"{host} ({address})"
    return _(
        "geweigerd: %(host)s is een intern adres (loopback, privé, link-local, multicast, gereserveerd of de "
        "metadataservice); de importer leest alleen publieke servers, tenzij IMPORT_ALLOWED_HOSTS het noemt"
    ) % {"host": shown}


def checked_addresses(host: str, port: int) -> list[tuple[Any, ...]]:
    """getaddrinfo for `host`, once; HostRefused when any address is internal and not allowed."""
    allowed = _allowed()
    name = host.lower().rstrip(".")
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if name in allowed.names:
        return infos
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if _internal(address) and not any(address in network for network in allowed.networks):
            raise HostRefused(refusal(host, str(address)))
    return infos


def check_url(url: str) -> None:
    """HostRefused when the host of `url` resolves to an internal address that is not allowed;
    nothing when it is public, allowed, or does not resolve (the run will say so)."""
    parts = urlsplit(url)
    if not parts.hostname:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        checked_addresses(parts.hostname, port)
    except (OSError, ValueError):
        return


def _connect(connection: http.client.HTTPConnection) -> socket.socket:
    """A socket to an address of the connection's host that passed the check."""
    error: OSError | None = None
    for family, kind, proto, _name, address in checked_addresses(connection.host, connection.port):
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(connection.timeout)
            sock.connect(address)
        except OSError as failed:
            sock.close()
            error = failed
            continue
        return sock
    # Quoted in the run's message ("de server is niet te bereiken: …"), so in the run's language too.
    raise error or OSError(_("geen verbinding met %(host)s") % {"host": connection.host})


class _HTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = _connect(self)


class _HTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        # Certificate and SNI for the host name; the TCP connection to the checked address.
        self.sock = self._context.wrap_socket(_connect(self), server_hostname=self.host)  # type: ignore[attr-defined]


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPSConnection, req, context=self._context)  # type: ignore[attr-defined]


def opener() -> urllib.request.OpenerDirector:
    """http and https with the check on every connection, redirects included; nothing else: no
    ftp:// or file:// a redirect could lead to, and no proxy from the environment (through a proxy
    the address that is connected to cannot be checked)."""
    director = urllib.request.OpenerDirector()
    for handler in (_HTTPHandler(), _HTTPSHandler(), urllib.request.HTTPRedirectHandler(),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor(),
                    urllib.request.UnknownHandler()):  # fmt: skip
        director.add_handler(handler)
    return director
