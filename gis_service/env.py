"""Typed readers for settings from environment variables.

Every reader fails loudly with ImproperlyConfigured naming the variable and what is
expected, so a typo in a deployment stops the service at start-up instead of later.
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def read_dotenv(path: Path) -> None:
    """Load KEY=VALUE lines into os.environ without overriding what is already set.

    The settings and scripts/ensure_database.py (which runs before Django) read `.env` through it, so
    both see the same database.
    """
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise ImproperlyConfigured(f"{path}:{number}: expected KEY=VALUE, got {line!r}")
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use true or false")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum {minimum}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name}={value} is above the maximum {maximum}")
    return value


def env_rate(name: str, default: str) -> str:
    """A rate as DRF's throttles write it: n/second, n/minute, n/hour or n/day (only the first
    letter of the period counts, so 120/min and 20/h are rates too)."""
    value = os.environ.get(name, default)
    count, _, period = value.partition("/")
    if not (count.isdigit() and period[:1] in ("s", "m", "h", "d")):
        raise ImproperlyConfigured(f"{name}={value!r}: expected a rate like {default}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


_CONTACT = re.compile(r"(mailto:[^\s@,]+@[^\s@,]+|https://[^\s,]+)")


def env_contacts(name: str) -> list[str]:
    """Comma-separated contact URIs for security.txt: `mailto:` addresses or `https://` pages (RFC 9116
    asks for a URI; a bare address or an http page is refused by name, not published)."""
    contacts = env_list(name, [])
    for contact in contacts:
        if not _CONTACT.fullmatch(contact):
            raise ImproperlyConfigured(
                f"{name}: {contact!r} is not a contact URI: use mailto:security@example.org or https://…"
            )
    return contacts


_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_HOST_NAME = re.compile(rf"(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*\.?")


def env_hosts(name: str, default: list[str]) -> list[str]:
    """Comma-separated host names, addresses and networks (CIDR), lower-cased; a malformed network
    or name fails here."""
    hosts = []
    for item in env_list(name, default):
        if "/" in item or ":" in item or item.replace(".", "").isdigit():
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ImproperlyConfigured(f"{name}: {item!r} is not an address or network (CIDR)") from None
        elif not _HOST_NAME.fullmatch(item.lower()):
            raise ImproperlyConfigured(f"{name}: {item!r} is not a host name, address or network")
        hosts.append(item.lower())
    return hosts


def masked(url: str) -> str:
    """The URL with its credentials replaced by ***, for error messages: they end up in logs and on
    consoles. Everything up to the last @ counts, as a password may hold an unquoted @ or /."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    userinfo, _, host = rest.rpartition("@")
    user = userinfo.partition(":")[0]
    user = user if user and "/" not in user and ":" in userinfo else ""
    return f"{scheme}://{user + ':' if user else ''}***@{host}"


def env_url(name: str, default: str, *, schemes: tuple[str, ...]) -> str:
    raw = os.environ.get(name, default)
    try:
        parts = urlsplit(raw)
        hostname = parts.hostname
    except ValueError:  # an unbalanced [ in the host
        hostname, parts = None, urlsplit("")
    if parts.scheme not in schemes or not (hostname or parts.path):
        raise ImproperlyConfigured(
            f"{name}={masked(raw)!r} is not a valid URL: expected {' or '.join(s + '://' for s in schemes)}…"
        )
    return raw


def env_tile_url(name: str, default: str) -> str:
    """An XYZ tile URL template (http or https, with {z}, {x} and {y}); empty for none."""
    raw = os.environ.get(name, default).strip()
    if not raw:
        return ""
    env_url(name, raw, schemes=("http", "https"))  # raises on anything but an http(s) URL
    missing = [part for part in ("{z}", "{x}", "{y}") if part not in raw]
    if missing:
        raise ImproperlyConfigured(f"{name}={masked(raw)!r} is not a tile URL template: it lacks {', '.join(missing)}")
    return raw


def url_origin(url: str) -> str:
    """scheme://host[:port] of a URL, as a Content-Security-Policy source names it."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def database_from_url(name: str, default: str) -> dict[str, Any]:
    """Django DATABASES entry from postgis://user:password@host:port/dbname?options."""
    raw = os.environ.get(name, default)
    try:
        parts = urlsplit(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={masked(raw)!r} is not a URL") from None
    if parts.scheme not in ("postgis", "postgres", "postgresql"):
        raise ImproperlyConfigured(f"{name}={masked(raw)!r}: expected postgis://user:password@host:port/dbname")
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname or "/" in dbname:
        raise ImproperlyConfigured(f"{name}={masked(raw)!r} names no database: add /dbname at the end")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name}={masked(raw)!r} has a port that is not a number") from None
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "ENGINE": "django.contrib.gis.db.backends.postgis",
        "NAME": dbname,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


@dataclass(frozen=True)
class EmailSettings:
    host: str
    port: int
    user: str
    password: str
    use_tls: bool
    use_ssl: bool


def email_from_url(name: str, default: str) -> EmailSettings:
    """SMTP settings from smtp://user:password@host:port (smtp+tls:// or smtps:// for encryption)."""
    raw = os.environ.get(name, default)
    try:
        parts = urlsplit(raw)
        hostname = parts.hostname
    except ValueError:
        raise ImproperlyConfigured(f"{name}={masked(raw)!r} is not a URL") from None
    if parts.scheme not in ("smtp", "smtp+tls", "smtps") or not hostname:
        raise ImproperlyConfigured(f"{name}={masked(raw)!r}: expected smtp://host:port, smtp+tls://… or smtps://…")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={masked(raw)!r} has a port that is not a number") from None
    return EmailSettings(
        host=hostname,
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=parts.scheme == "smtp+tls",
        use_ssl=parts.scheme == "smtps",
    )
