"""A feature's attributes become one JSON object each, column-wise in Arrow, whatever the values hold."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pyarrow as pa
import pytest
from shapely.geometry import box

from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers.readers.base import ResolvedMapping, batch_from_arrow

from .conftest import sync, write_layer

# Without control characters a column is escaped by Arrow kernels; with one, value by value by `json`.
PRINTABLE = ["gewoon", 'een "haag" bij de school', "C:\\groen\\vak 3", 'beide: \\"', "één, ĳs, 🌳", "", None]
TEXTS = [*PRINTABLE, "regel 1\nregel 2\ttab"]


def _attributes(record_batch: pa.RecordBatch, keep: list[str]) -> list[dict[str, object]]:
    mapping = ResolvedMapping(id_field=None, name_field=None, type_field=None, keep_fields=keep)
    batch = batch_from_arrow(record_batch, start=0, mapping=mapping, geometry_column="geom")
    return [json.loads(text) for text in batch.table.column("attrs").to_pylist()]


@pytest.mark.parametrize("texts", [PRINTABLE, TEXTS], ids=["printable", "with control characters"])
@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
def test_strings_with_quotes_backslashes_control_characters_and_unicode_are_kept(
    kind: pa.DataType, texts: list[str | None]
) -> None:
    record_batch = pa.RecordBatch.from_pydict(
        {"tekst": pa.array(texts, kind), "geom": pa.array([b"\x01"] * len(texts), pa.binary())}
    )
    assert _attributes(record_batch, ["tekst"]) == [{"tekst": text} for text in texts]


def test_a_slice_of_a_batch_is_read_from_its_own_values() -> None:
    """pyogrio and the services hand batches that may be views into larger buffers."""
    plain = ["a"] * 4 + ['met "quote"'] + ["b"] * 3
    record_batch = pa.RecordBatch.from_pydict(
        {"tekst": pa.array(plain), "geom": pa.array([b"\x01"] * len(plain), pa.binary())}
    )
    assert _attributes(record_batch.slice(0, 4), ["tekst"]) == [{"tekst": "a"}] * 4
    assert _attributes(record_batch.slice(4, 2), ["tekst"]) == [{"tekst": 'met "quote"'}, {"tekst": "b"}]
    assert _attributes(record_batch.slice(5), ["tekst"]) == [{"tekst": "b"}] * 3


def test_numbers_booleans_and_nulls_keep_their_json_types() -> None:
    record_batch = pa.RecordBatch.from_pydict(
        {
            "jaar": pa.array([2011, None, -3], pa.int64()),
            "oppervlakte": pa.array([12.5, math.nan, math.inf], pa.float64()),
            "openbaar": pa.array([True, False, None]),
            "geom": pa.array([b"\x01"] * 3, pa.binary()),
        }
    )
    assert _attributes(record_batch, ["jaar", "oppervlakte", "openbaar"]) == [
        {"jaar": 2011, "oppervlakte": 12.5, "openbaar": True},
        {"jaar": None, "oppervlakte": None, "openbaar": False},
        {"jaar": -3, "oppervlakte": None, "openbaar": None},
    ]


def test_an_import_keeps_every_text_as_the_file_has_it(owner_a: Owner, tmp_path: Path) -> None:
    rows = [
        {"guid": f"g{i}", "opmerking": text, "geometry": box(140000 + 20 * i, 470000, 140010 + 20 * i, 470010)}
        for i, text in enumerate(TEXTS)
    ]
    run = sync(owner_a, write_layer(tmp_path / "teksten.gpkg", rows), id_field="guid")
    assert run.created == len(TEXTS), run.message
    stored = dict(Location.objects.filter(source=run.source).values_list("external_id", "attributes"))
    assert {key: value["opmerking"] for key, value in stored.items()} == {f"g{i}": t for i, t in enumerate(TEXTS)}
