"""PostgreSQL's binary COPY format, built column-wise in Arrow (no Python loop over rows).

A COPY stream is HEADER, then rows, then TRAILER. A row is its field count (2 bytes), then each
field as a 4-byte big-endian length and its bytes, or length -1 for NULL. The server reads each
field with its column type's receive function: int8 as 8 big-endian bytes, text as UTF-8, bytea
as is, geometry as (E)WKB (SRID 0 takes the column's SRID), jsonb as a version byte and JSON text.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from importers.gdal import pyarrow

HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
TRAILER = (-1).to_bytes(2, "big", signed=True)
JSONB_VERSION = b"\x01"


def int8_field(value: int) -> bytes:
    """A constant int8 field, for every row."""
    return (8).to_bytes(4, "big") + value.to_bytes(8, "big", signed=True)


def text_field(value: str) -> bytes:
    """A constant text field, for every row."""
    data = value.encode()
    return len(data).to_bytes(4, "big") + data


def int8_column(column: Any) -> Any:
    """An Arrow integer column (no nulls) as int8 fields."""
    pa = pyarrow()
    values = np.asarray(column, dtype=">i8")
    fields = np.empty(len(values), dtype=[("length", ">i4"), ("value", ">i8")])
    fields["length"], fields["value"] = 8, values
    return pa.FixedSizeBinaryArray.from_buffers(pa.binary(12), len(values), [None, pa.py_buffer(fields.tobytes())])


def variable_column(column: Any) -> Any:
    """An Arrow string or binary column as fields: length prefix and bytes, or -1 for NULL."""
    import pyarrow.compute as pc

    pa = pyarrow()
    data = pc.cast(column, pa.binary())
    lengths = np.asarray(pc.fill_null(pc.binary_length(data), -1), dtype=">i4")
    prefixes = pa.FixedSizeBinaryArray.from_buffers(pa.binary(4), len(lengths), [None, pa.py_buffer(lengths.tobytes())])
    return pc.binary_join_element_wise(pc.cast(prefixes, pa.binary()), pc.fill_null(data, b""), b"")


def rows(fields: list[Any], count: int) -> bytes:
    """The rows (without HEADER and TRAILER) of `count` rows whose fields are, in column order,
    constants (bytes from int8_field/text_field) or columns from int8_column/variable_column."""
    import pyarrow.compute as pc

    pa = pyarrow()
    if count == 0:
        return b""
    parts = [pa.scalar(len(fields).to_bytes(2, "big"), pa.binary())]
    for field in fields:
        parts.append(pa.scalar(field, pa.binary()) if isinstance(field, bytes) else pc.cast(field, pa.binary()))
    joined = pc.binary_join_element_wise(*parts, b"")
    if isinstance(joined, pa.Scalar):  # every field a constant: one value for all rows
        return bytes(joined.as_py()) * count
    if isinstance(joined, pa.ChunkedArray):
        joined = joined.combine_chunks()
    _, offsets_buffer, data_buffer = joined.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)
    first, last = int(offsets[joined.offset]), int(offsets[joined.offset + len(joined)])
    return bytes(memoryview(data_buffer)[first:last])
