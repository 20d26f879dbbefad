"""PostgreSQL's statement_timeout for web requests, and the 503 a cancelled statement answers.

The limits checked while parsing (gis_service/geo/limits.py, ogc/cql.py) bound what a request
may ask; this is the backstop for what they miss: no web request holds a database connection
and a gunicorn slot longer than WEB_STATEMENT_TIMEOUT per statement (a feed filter ran 29.9 s
and six such requests filled every slot). Admin pages get ADMIN_STATEMENT_TIMEOUT (their
lists and imports screens are heavier, and only staff reach them). Celery tasks (imports)
and management commands never pass through here: they run without a timeout, as before.

The timeout is set on the request's connection with `set_config` through psycopg directly, not
through Django's cursor: it is no query of the application (query counts in tests stay what
they measure), and it costs one round trip only when the request finds its connection open
with another timeout; a connection opened during the request gets it as its first statement.

Processes that only serve web requests (gunicorn and runserver load gis_service.wsgi, which calls
`keep_between_requests`) leave the timeout on their persistent connection when a request ends:
nothing else runs on it, and the next request wants the same value. Setting it and resetting it
on every request were two of a vector tile's four round trips to PostgreSQL (with Django's health
check and the tile's own statement), a third of a cold tile's time over HTTP at 100,000 locations.
Everywhere else (tests, and any code that shares the connection) a request resets it when it ends.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

LOGGER = logging.getLogger(__name__)


@dataclass
class _Request:
    milliseconds: int  # 0: none
    applied: bool = False  # set on this thread's connection, to be reset when the request ends


# The request this thread serves; None outside requests.
_current: ContextVar[_Request | None] = ContextVar("statement_timeout", default=None)
# The timeout a connection holds, as an attribute of Django's connection wrapper: None for the
# server's default (a new connection, or one reset).
_HELD = "_zelfbeheer_statement_timeout_ms"
_keep = False


def keep_between_requests(keep: bool = True) -> None:
    """Leave the timeout on the connection between requests: for processes that only serve them."""
    global _keep
    _keep = keep


def timeout_ms(path: str) -> int:
    """The statement timeout for a request to `path`, in milliseconds (0: none)."""
    if path.startswith("/admin/"):
        return round(float(settings.ADMIN_STATEMENT_TIMEOUT) * 1000)
    return round(float(settings.WEB_STATEMENT_TIMEOUT) * 1000)


def _execute(wrapper: Any, statement: str, params: list[Any]) -> bool:
    raw = wrapper.connection
    if raw is None or getattr(wrapper, "vendor", "") != "postgresql":
        return False
    raw.execute(statement, params)
    return True


def _apply(wrapper: Any, request: _Request) -> None:
    if getattr(wrapper, _HELD, None) == request.milliseconds:
        request.applied = True
        return
    statement = "SELECT set_config('statement_timeout', %s, false)"
    if _execute(wrapper, statement, [f"{request.milliseconds}ms"]):
        request.applied = True
        setattr(wrapper, _HELD, request.milliseconds)
        # The statement just went through: Django's health check of this request would only repeat it.
        wrapper.health_check_done = True


def _reset(wrapper: Any) -> None:
    setattr(wrapper, _HELD, None)  # unknown until it went through: set again by the next request
    _execute(wrapper, "RESET statement_timeout", [])


@receiver(connection_created)
def _on_connect(sender: Any, connection: Any, **kwargs: Any) -> None:
    setattr(connection, _HELD, None)
    request = _current.get()
    if request is not None:
        _apply(connection, request)


def is_query_cancelled(error: BaseException | None) -> bool:
    """Whether `error` (or what it wraps) is PostgreSQL cancelling a statement (SQLSTATE 57014)."""
    while error is not None:
        if isinstance(error, psycopg.errors.QueryCanceled):
            return True
        error = error.__cause__
    return False


def cancelled_message() -> str:
    return _(
        "De vraag kostte de database te veel tijd en is afgebroken: maak hem kleiner, "
        "bijvoorbeeld met een kleiner gebied of een eenvoudiger filter, of probeer het later opnieuw."
    )


class StatementTimeoutMiddleware:
    """Sets the statement timeout for the request's connection; a cancelled statement answers 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = _Request(timeout_ms(request.path))
        token = _current.set(state)
        try:
            if connection.connection is not None:
                self._quietly(_apply, connection, state)
            return self.get_response(request)
        finally:
            _current.reset(token)
            if state.applied and not _keep and connection.connection is not None:
                # Whatever else this process does on the connection (a command, a test) runs without it.
                self._quietly(_reset, connection)

    @staticmethod
    def _quietly(work: Callable[..., Any], *args: Any) -> None:
        try:
            work(*args)
        except psycopg.Error:  # a broken connection: Django's health check replaces it, and then _on_connect
            LOGGER.info("could not set statement_timeout on a reused connection", exc_info=True)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_query_cancelled(exception):
            return None
        LOGGER.warning("statement timeout on %s %s", request.method, request.path)
        message = cancelled_message()
        if request.path.startswith("/ogc/"):
            body = {"code": "ServiceUnavailable", "type": "ServiceUnavailable", "description": message}
        else:
            body = {"detail": message}
        response = HttpResponse(json.dumps(body), status=503, content_type="application/json")
        response["Retry-After"] = "30"
        return response
