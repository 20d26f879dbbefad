"""Reading ahead in a thread (importers/prefetch.py): a re-sync reads while the known hashes arrive."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from importers.prefetch import prefetching


def test_prefetching_reads_before_the_first_item_is_asked_for() -> None:
    first_read = threading.Event()

    def items() -> Iterator[int]:
        first_read.set()
        yield from range(5)

    with prefetching(items(), lambda item: item * 2, depth=2) as results:
        assert first_read.wait(timeout=30)
        assert list(results) == [0, 2, 4, 6, 8]


def test_leaving_the_block_early_stops_the_thread_and_closes_the_items() -> None:
    closed = threading.Event()

    def items() -> Iterator[int]:
        try:
            yield from range(1_000_000)
        finally:
            closed.set()

    with prefetching(items(), lambda item: item, depth=2) as results:
        assert next(results) == 0
    assert closed.is_set()
    assert not [t for t in threading.enumerate() if t.name == "import-prefetch"]


def test_an_error_while_reading_ahead_is_raised_to_the_reader() -> None:
    def items() -> Iterator[int]:
        yield 1
        raise ValueError("the file ends here")

    with prefetching(items(), lambda item: item, depth=2) as results:
        assert next(results) == 1
        with pytest.raises(ValueError, match="the file ends here"):
            next(results)
