"""Live progress of a run, written over a connection of its own: the run's work happens in one
transaction that nobody else can see until it commits."""

from __future__ import annotations

import time

import psycopg
from django.db import connection

from importers.models import ImportRun


class DatabaseProgress:
    """Writes read/total of a run at most once per `interval` seconds, committed at once."""

    def __init__(self, *, interval: float = 1.0) -> None:
        self.interval = interval
        self._last = 0.0
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None

    def __call__(self, run: ImportRun) -> None:
        now = time.monotonic()
        if now - self._last < self.interval:
            return
        self._last = now
        if self._conn is None:
            params = connection.get_connection_params()
            params.pop("cursor_factory", None)
            params.pop("context", None)
            self._conn = psycopg.connect(**params, autocommit=True)
        self._conn.execute(
            "UPDATE importers_importrun SET read = %s, total = %s WHERE id = %s", [run.read, run.total, run.pk]
        )

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
