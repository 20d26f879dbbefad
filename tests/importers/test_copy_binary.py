"""The binary COPY encoder against PostgreSQL itself: what goes in comes back, NULLs included."""

from __future__ import annotations

import pyarrow as pa
import pytest
from django.db import connection

from importers import copy_binary


@pytest.mark.django_db
def test_rows_built_column_wise_are_read_back_by_postgresql_as_written() -> None:
    numbers = pa.chunked_array([pa.array([1, -2], pa.int64()), pa.array([2**40], pa.int64())])
    texts = pa.array(["één", None, ""], pa.string())
    blobs = pa.array([b"\x00\x01", b"", None], pa.binary())
    payload = copy_binary.rows(
        [copy_binary.int8_column(numbers), copy_binary.variable_column(texts), copy_binary.variable_column(blobs),
         copy_binary.int8_field(7), copy_binary.text_field("vast")],
        3,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE copied (n bigint, t text, b bytea, k bigint, c text)")
        with cursor.cursor.copy("COPY copied FROM STDIN (FORMAT binary)") as copy:
            copy.write(copy_binary.HEADER + payload + copy_binary.TRAILER)
        cursor.execute("SELECT n, t, b, k, c FROM copied ORDER BY n")
        rows = [(n, t, None if b is None else bytes(b), k, c) for n, t, b, k, c in cursor.fetchall()]
    assert rows == [
        (-2, None, b"", 7, "vast"),
        (1, "één", b"\x00\x01", 7, "vast"),
        (2**40, "", None, 7, "vast"),
    ]


def test_no_rows_is_no_bytes() -> None:
    assert copy_binary.rows([copy_binary.int8_field(1)], 0) == b""
