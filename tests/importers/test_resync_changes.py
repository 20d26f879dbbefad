"""A re-sync compares features with the locations by (external id, hash) while it reads them, and
only the others go through the SQL merge (importers/sync/merge.py Known)."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
import shapely
from shapely.geometry import MultiPolygon, box

from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers import bulk
from importers.models import ImportChange, ImportIssue
from importers.readers.base import Batch
from importers.sync.merge import KNOWN_CHUNK, Known, hashed

from .conftest import resync, squares, sync, write_layer

SALT = "salt"


def batch(rows: list[tuple[str | None, str, object]], *, start: int = 0) -> Batch:
    """A batch with the staging columns: (external id, type, geometry) per feature."""
    table = pa.table(
        {
            "n": pa.array(range(start, start + len(rows)), pa.int64()),
            "ext_id": pa.array([r[0] for r in rows], pa.string()),
            "name": pa.nulls(len(rows), pa.string()),
            "type": pa.array([r[1] for r in rows], pa.string()),
            "attrs": pa.array(["{}"] * len(rows), pa.string()),
            "wkb": pa.array([shapely.to_wkb(r[2]) for r in rows], pa.binary()),
        }
    )
    return Batch(start=start, table=table)


def test_known_passes_on_only_new_and_changed_features_and_names_the_gone() -> None:
    a, b, c, d = squares(4)
    stored = batch([("a", "gras", a), ("b", "gras", b), ("gone", "gras", c)])
    known = Known.of_hashes(dict(zip(["a", "b", "gone"], bulk.feature_hashes(stored.table, salt=SALT), strict=True)))

    changed, issues = known.changed(
        hashed(
            batch([("a", "gras", a), ("b", "heesters", b), ("new", "gras", d), ("a", "haag", a), ("", "gras", c)]),
            salt=SALT,
        )
    )

    assert changed.column("ext_id").to_pylist() == ["b", "new"]
    assert [(i.feature_index, i.external_id, i.code) for i in issues] == [(3, "a", "duplicate_id"), (4, "", "no_id")]
    assert known.unchanged == 1
    assert known.gone() == ["gone"]


def test_known_rejects_a_new_id_seen_in_an_earlier_batch() -> None:
    a, b = squares(2)
    known = Known.of_hashes({})
    first, _ = known.changed(hashed(batch([("x", "gras", a)]), salt=SALT))
    second, issues = known.changed(hashed(batch([("x", "gras", b)], start=1), salt=SALT))
    assert first.num_rows == 1
    assert second is None
    assert [(i.feature_index, i.code) for i in issues] == [(1, "duplicate_id")]


def test_hashes_while_reading_equal_the_hashes_compared_in_sql(
    owner_a: Owner, tmp_path: Path, groen_rows: list[dict[str, object]]
) -> None:
    path = tmp_path / "groen.gpkg"
    run = sync(owner_a, write_layer(path, groen_rows), id_field="guid", type_field="objecttype")
    changed = [dict(row) for row in groen_rows]
    changed[2]["objecttype"] = "haag"
    path.unlink()
    write_layer(path, changed)
    again = resync(run.source)
    assert (again.updated, again.unchanged) == (1, 4), again.message
    # The SQL merge (--full) hashes every feature itself and finds what the read-time hashes stored.
    full = resync(run.source, full=True)
    assert (full.updated, full.unchanged) == (0, 5), full.message


def test_a_resync_counts_duplicates_of_known_ids_and_keeps_the_first(
    owner_a: Owner, tmp_path: Path, groen_rows: list[dict[str, object]]
) -> None:
    path = tmp_path / "groen.gpkg"
    run = sync(owner_a, write_layer(path, groen_rows), id_field="guid", type_field="objecttype")
    twice = [*groen_rows[:4], {**groen_rows[0], "objecttype": "haag"}, {**groen_rows[1], "guid": "g9"}]
    path.unlink()
    write_layer(path, twice)
    again = resync(run.source)
    assert (again.created, again.updated, again.unchanged, again.withdrawn, again.rejected) == (1, 0, 4, 1, 1)
    assert again.current_after == Location.objects.current().filter(source=run.source).count() == 5
    assert Location.objects.get(source=run.source, external_id="g1").type == "gras"
    issue = ImportIssue.objects.get(run=again)
    assert (issue.feature_index, issue.external_id, issue.code) == (4, "g1", "duplicate_id")


def test_a_withdrawn_repaired_bowtie_comes_back(owner_a: Owner, tmp_path: Path) -> None:
    # A bowtie of the generated 100k dataset. Repaired by shapely at the first import and by PostGIS
    # when it came back, its shared vertex differed by 1e-11 m, and ST_Equals in the changed-ground
    # check threw "TopologyException: side location conflict": the whole sync failed.
    bow = shapely.Polygon(
        [(123651.239, 480825.306), (123677.102, 480799.444), (123677.102, 480825.306), (123651.239, 480799.444)]
    )
    rows = [{"guid": "bow", "geometry": bow}, {"guid": "ok", "geometry": MultiPolygon([box(0, 0, 10, 10)])}]
    path = tmp_path / "groen.gpkg"
    run = sync(owner_a, write_layer(path, rows), id_field="guid")
    assert (run.created, run.repaired) == (2, 1)
    path.unlink()
    write_layer(path, rows[1:])
    assert resync(run.source).withdrawn == 1
    path.unlink()
    write_layer(path, rows)
    back = resync(run.source)
    assert back.status == back.Status.SUCCEEDED, back.message
    assert (back.updated, back.unchanged, back.repaired) == (1, 1, 1)
    location = Location.objects.get(source=run.source, external_id="bow")
    assert location.withdrawn_at is None
    assert location.area_m2 == pytest.approx(shapely.area(shapely.make_valid(bow)))
    assert set(ImportChange.objects.filter(run=back).values_list("change", flat=True)) == {"updated"}


def test_known_packs_uuid_ids_and_still_names_the_gone_and_the_duplicates() -> None:
    a, b, c, d = squares(4)
    one, two, gone, new = (str(uuid.UUID(int=n)) for n in (0xA1, 0xB2, 0xC3, 0xD4))
    stored = batch([(one, "gras", a), (two, "gras", b), (gone, "gras", c)])
    known = Known.of_hashes(dict(zip([one, two, gone], bulk.feature_hashes(stored.table, salt=SALT), strict=True)))
    assert known.packing is not None and known.ids.dtype == np.dtype("S16")

    features = [(one, "gras", a), (two, "heesters", b), (new, "gras", d), (one, "haag", a), ("other-shape", "gras", c)]
    changed, issues = known.changed(hashed(batch(features), salt=SALT))

    assert changed.column("ext_id").to_pylist() == [two, new, "other-shape"]
    assert [(i.feature_index, i.external_id, i.code) for i in issues] == [(3, one, "duplicate_id")]
    assert known.unchanged == 1
    assert known.gone() == [gone]


def test_a_resync_of_more_uuids_than_one_fetch_holds_and_then_other_ids(owner_a: Owner, tmp_path: Path) -> None:
    # The packing is chosen by the first chunk of known ids; ids of another shape, sorted after the UUIDs
    # into a later chunk, turn the known ones back into bytes.
    count = KNOWN_CHUNK + 5
    picker = random.Random(11)
    ids = [str(uuid.UUID(int=picker.getrandbits(128))) for _ in range(count)] + ["zz-1", "zz-2"]
    cells = squares(len(ids), size=5.0)
    rows = [{"guid": ext_id, "objecttype": "gras", "geometry": cell} for ext_id, cell in zip(ids, cells, strict=True)]
    path = tmp_path / "groen.gpkg"
    run = sync(owner_a, write_layer(path, rows), id_field="guid", type_field="objecttype")
    assert run.created == len(ids), run.message
    changed = [dict(row) for row in rows]
    changed[3]["objecttype"] = "haag"  # one UUID changed
    removed = {ids[5], "zz-1"}
    changed = [row for row in changed if row["guid"] not in removed]
    changed.append({"guid": str(uuid.UUID(int=7)), "objecttype": "gras", "geometry": squares(1, y0=480000.0)[0]})
    path.unlink()
    write_layer(path, changed)
    again = resync(run.source)
    assert (again.created, again.updated, again.withdrawn, again.rejected) == (1, 1, 2, 0), again.message
    assert again.unchanged == len(ids) - 3
    current = Location.objects.current().filter(source=run.source)
    assert again.current_after == current.count() == len(ids) - 1
    assert not current.filter(external_id__in=removed).exists()
    assert current.get(external_id=ids[3]).type == "haag"
