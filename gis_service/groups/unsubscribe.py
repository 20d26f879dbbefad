"""One-click unsubscribe from a group's news mail (RFC 8058): a signed link per follower and group.

The link itself is the proof: it carries (group, user) signed with SECRET_KEY under a salt of its
own, so it cannot be forged nor reused for anything else, and it needs no session nor CSRF token
(a mail client posts it without either). It does not expire: a mail from last year must still let
its reader stop the news.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

from gis_service.core.links import site_url

SALT = "groups.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    group_id: int
    user_id: int


def unsubscribe_token(*, group_id: int, user_id: int) -> str:
    return signing.dumps([group_id, user_id], salt=SALT, compress=False)


def unsubscribe_url(*, group_id: int, user_id: int) -> str:
    return site_url("web:group-unsubscribe", unsubscribe_token(group_id=group_id, user_id=user_id))


def unsubscribe_read(token: str) -> Unsubscribe:
    """The (group, user) a token names; signing.BadSignature when it was not made by us."""
    value = signing.loads(token, salt=SALT)
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        raise signing.BadSignature("malformed unsubscribe token")
    return Unsubscribe(group_id=value[0], user_id=value[1])


def list_unsubscribe_headers(url: str) -> dict[str, str]:
    """The headers by which mail clients show their own unsubscribe button (RFC 2369, RFC 8058)."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
