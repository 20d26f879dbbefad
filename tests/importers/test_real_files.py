"""The real BGT files from fixtures/: CityGML, GML light and a shapefile without .prj."""

from __future__ import annotations

from pathlib import Path

from django.db import connection

from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers.models import ImportRun

from .conftest import BGT_CITYGML, BGT_SHAPEFILE, GML_LIGHT_CURVED, GML_LIGHT_TWO, copy_dataset, resync, sync


def test_it_imports_only_the_current_objects_of_the_bgt_citygml(owner_a: Owner, tmp_path: Path) -> None:
    gml = copy_dataset(BGT_CITYGML, tmp_path)
    run = sync(owner_a, gml, id_field="lokaalID", type_field="class")
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert (run.read, run.created, run.rejected) == (770, 770, 0)
    locations = Location.objects.filter(source=run.source)
    assert locations.count() == 770
    assert locations.filter(type="groenvoorziening").exists()
    ends = {attributes.get("eindRegistratie") for attributes in locations.values_list("attributes", flat=True)}
    assert ends == {None}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM locations_location WHERE source_id = %s AND (NOT ST_IsValid(geometry)"
            " OR ST_NDims(geometry) <> 2 OR GeometryType(geometry) <> 'MULTIPOLYGON')",
            [run.source_id],
        )
        assert cursor.fetchone() == (0,)


def test_it_writes_no_side_files_next_to_the_source(owner_a: Owner, tmp_path: Path) -> None:
    gml = copy_dataset(BGT_CITYGML, tmp_path)
    sync(owner_a, gml, id_field="lokaalID")
    assert sorted(p.name for p in tmp_path.iterdir()) == [gml.name]


def test_a_second_run_on_unchanged_data_changes_nothing(owner_a: Owner, tmp_path: Path) -> None:
    gml = copy_dataset(BGT_CITYGML, tmp_path)
    first = sync(owner_a, gml, id_field="lokaalID", type_field="class")
    before = dict(Location.objects.filter(source=first.source).values_list("id", "updated_at"))
    for full in (False, True):  # the fingerprint short cut, and the feature-by-feature comparison
        again = resync(first.source, full=full)
        assert again.status == ImportRun.Status.SUCCEEDED, again.message
        assert (again.created, again.updated, again.unchanged, again.withdrawn) == (0, 0, 770, 0)
    assert dict(Location.objects.filter(source=first.source).values_list("id", "updated_at")) == before


def test_it_imports_the_shapefile_without_prj_in_the_given_crs(owner_a: Owner, tmp_path: Path) -> None:
    shp = copy_dataset(BGT_SHAPEFILE, tmp_path)
    run = sync(owner_a, shp, crs="EPSG:28992", id_field="bgt_id", type_field="bgt_fys1")
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert run.created + run.rejected == 970
    assert run.created >= 960
    location = Location.objects.filter(source=run.source).first()
    assert location is not None
    assert location.geometry.srid == 28992
    assert 100000 < location.geometry.centroid.x < 200000  # RD, not degrees


def test_it_takes_the_area_not_the_kruinlijn_and_makes_curves_straight(owner_a: Owner, tmp_path: Path) -> None:
    gml = copy_dataset(GML_LIGHT_CURVED, tmp_path)
    run = sync(owner_a, gml, id_field="identificatie.lokaalID", type_field="bgt-fysiekVoorkomen")
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert run.created == 1
    location = Location.objects.get(source=run.source)
    assert location.type == "transitie"
    assert location.geometry.geom_type == "MultiPolygon"
    assert location.area_m2 > 1
    assert len(location.geometry[0]) == 2  # the interior ring survived


def test_it_keeps_the_hole_of_a_gml_light_polygon(owner_a: Owner, tmp_path: Path) -> None:
    gml = copy_dataset(GML_LIGHT_TWO, tmp_path)
    run = sync(owner_a, gml, id_field="lokaalID")
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert run.created == 2
    holes = [len(loc.geometry[0]) - 1 for loc in Location.objects.filter(source=run.source)]
    assert max(holes) >= 1
