"""Live progress and the heartbeat of a run, written over connections of their own: the run's work
happens in one transaction that nobody else can see until it commits."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import psycopg
from django.db import connection

from importers.models import ImportRun

logger = logging.getLogger(__name__)


def _own_connection() -> psycopg.Connection[tuple[object, ...]]:
    """A new autocommit connection to Django's database, outside Django's connection handling."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params, autocommit=True)


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
            self._conn = _own_connection()
        self._conn.execute(
            "UPDATE importers_importrun SET read = %s, total = %s WHERE id = %s", [run.read, run.total, run.pk]
        )

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


# Only a run still marked running beats: one the sweep has given up on stays failed.
BEAT = (
    "UPDATE importers_importrun SET heartbeat_at = now(), read = greatest(read, %(read)s), total = %(total)s"
    " WHERE id = %(run)s AND status = 'running'"
)


class Heartbeat:
    """Writes `heartbeat_at = now()` (and the features read so far) of a run every `interval`
    seconds from a thread of its own, as long as the process lives: the run's main thread spends
    minutes in single SQL statements and cannot be relied on to report. A run whose heartbeat
    stopped has lost its process (importers.sync.run.runs_fail_stale)."""

    def __init__(self, run: ImportRun, *, interval: float) -> None:
        self.run = run
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"import-heartbeat-{run.pk}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        conn: psycopg.Connection[tuple[object, ...]] | None = None
        try:
            while not self._stop.wait(self.interval):
                try:
                    if conn is None or conn.closed:
                        conn = _own_connection()
                    conn.execute(BEAT, {"read": self.run.read, "total": self.run.total, "run": self.run.pk})
                except psycopg.Error:
                    # Tried again next time; missing beats for IMPORT_RUN_STALE_SECONDS fail the run.
                    logger.warning("import %s: the heartbeat could not be written", self.run.pk, exc_info=True)
                    if conn is not None:
                        conn.close()
                    conn = None
        finally:
            if conn is not None:
                conn.close()
