"""CSV for spreadsheets: the one writer of every CSV the platform hands out (import reports, feed downloads).

A spreadsheet takes a cell starting with = + - @ (or a tab or carriage return before one) as a
formula: HYPERLINK leaks other cells, DDE runs commands. Text from outside (a source's ids, a
location's name, a resident's plan) therefore gets a leading apostrophe, which Excel and
LibreOffice show as plain text (OWASP's advice on CSV injection). Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def as_text(value: str) -> str:
    """The value as a spreadsheet shows it as text, never as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _cell(value: object) -> object:
    return as_text(value) if isinstance(value, str) else value


class SafeWriter:
    """csv.writer whose text cells can never be formulas."""

    def __init__(self, out: _Writable) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([_cell(value) for value in row])


def rows_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows as CSV text, for streaming a file in pieces."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()
