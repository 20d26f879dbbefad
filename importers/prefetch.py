"""Preparing the next batch in a thread while the database takes the current one."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import translation

_DONE = object()


def prefetched[In, Out](items: Iterator[In], work: Callable[[In], Out], *, depth: int = 2) -> Iterator[Out]:
    """`work(item)` for each item, computed in a background thread at most `depth` items ahead.

    Reading (GDAL) and geometry work (GEOS through shapely) release the GIL, so this runs on the
    second core while PostgreSQL ingests. An exception in the thread is raised here, in order;
    leaving the loop early stops the thread before this returns. The thread speaks the caller's
    active language, so the refusals raised in it are in the language of the rest of the run.
    """
    with prefetching(items, work, depth=depth) as results:
        yield from results


@contextmanager
def prefetching[In, Out](items: Iterator[In], work: Callable[[In], Out], *, depth: int = 2) -> Iterator[Iterator[Out]]:
    """As `prefetched`, but the thread starts on entering, not at the first item asked for: it reads
    while the caller still does something else first. Leaving the block stops the thread."""
    results: queue.Queue[Any] = queue.Queue(maxsize=depth)
    # Django keeps the active language per thread: a new thread would write in LANGUAGE_CODE.
    language = translation.get_language()
    stop = threading.Event()

    def put(value: Any) -> bool:
        while not stop.is_set():
            try:
                results.put(value, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        with translation.override(language):
            try:
                for item in items:
                    if not put(("ok", work(item))):
                        return
            except BaseException as error:  # handed to the consumer, which raises it
                put(("error", error))
                return
            finally:
                close = getattr(items, "close", None)
                if close is not None:
                    close()  # a generator's context managers (open files) end in this thread
            put(("ok", _DONE))

    def consume() -> Iterator[Out]:
        while True:
            kind, value = results.get()
            if kind == "error":
                raise value
            if value is _DONE:
                return
            yield value

    thread = threading.Thread(target=produce, name="import-prefetch", daemon=True)
    thread.start()
    try:
        yield consume()
    finally:
        stop.set()
        thread.join()
