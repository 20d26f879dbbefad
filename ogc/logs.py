"""pygeoapi logs every error response at ERROR, with a traceback when an exception is active.
A client's bad bbox or an unknown id is not a server error: such records become one WARNING line."""

from __future__ import annotations

import logging
from http import HTTPStatus


class ClientErrorsAreWarnings(logging.Filter):
    """For pygeoapi's error responses (API.get_exception): client errors at WARNING without a
    traceback; server errors (5xx, or an exception pygeoapi did not map) stay ERROR."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.funcName != "get_exception" or record.levelno < logging.ERROR:
            return True
        error = record.exc_info[1] if record.exc_info else None
        status = getattr(error, "http_status_code", None) if error is not None else HTTPStatus.BAD_REQUEST
        if status is not None and int(status) < 500:
            record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
            record.exc_info, record.exc_text = None, None
        return True
