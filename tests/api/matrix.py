"""What the permission matrices share: an action's URL and body filled in with the ids of the
world the test built, and the request as one persona (tests/api/test_*_permissions.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rest_framework.test import APIClient


def fill(value: Any, ids: Mapping[str, Any], uploads: Mapping[str, Callable[[], Any]] | None = None) -> Any:
    """`value` with "{name}" placeholders filled from `ids` (a lone id becomes an int); a string
    named in `uploads` becomes a fresh file from its factory."""
    if isinstance(value, str) and uploads and value in uploads:
        return uploads[value]()
    if isinstance(value, str):
        filled = value.format(**ids)
        return int(filled) if filled.isdigit() and value.startswith("{") else filled
    if isinstance(value, dict):
        return {key: fill(item, ids, uploads) for key, item in value.items()}
    return value


def api_call(
    action: tuple[Any, ...],
    persona: str,
    users: Mapping[str, Any],
    ids: Mapping[str, Any],
    *,
    uploads: Mapping[str, Callable[[], Any]] | None = None,
    multipart: bool = False,
) -> Any:
    """One row of a matrix's ACTIONS, (method, url, body, allowed personas), asked as `persona`."""
    method, url, body, _allowed = action
    client = APIClient(enforce_csrf_checks=True)
    if persona != "anonymous":
        client.force_authenticate(users[persona])
    return getattr(client, method)(
        fill(url, ids, uploads), fill(body, ids, uploads), format="multipart" if multipart else "json"
    )
