import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.db import IntegrityError, connection, transaction

from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers.models import Source
from tests.conftest import rd_square


@pytest.mark.django_db
def test_it_computes_the_area_in_square_metres_in_the_database(owner_a: Owner) -> None:
    location = Location.objects.create(owner=owner_a, name="Groenstrook", geometry=rd_square(140000, 466000, 20))
    location.refresh_from_db()
    assert location.area_m2 == pytest.approx(400.0)
    with connection.cursor() as cursor:  # also when written by SQL, as the importer does
        cursor.execute(
            "UPDATE locations_location SET geometry = %s WHERE id = %s", [rd_square(0, 0, 3).ewkb, location.pk]
        )
    location.refresh_from_db()
    assert location.area_m2 == pytest.approx(9.0)


@pytest.mark.django_db
def test_it_refuses_an_invalid_geometry_in_the_database(owner_a: Owner) -> None:
    bowtie = GEOSGeometry("SRID=28992;MULTIPOLYGON(((0 0, 10 10, 10 0, 0 10, 0 0)))")
    with pytest.raises(IntegrityError, match="location_geometry_valid"), transaction.atomic():
        Location.objects.create(owner=owner_a, name="Strik", geometry=bowtie)
    assert not Location.objects.exists()


@pytest.mark.django_db
def test_it_stores_geometries_in_the_storage_srid_with_a_gist_index() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT srid, type FROM geometry_columns WHERE f_table_name = 'locations_location'")
        assert cursor.fetchone() == (28992, "MULTIPOLYGON")
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'locations_location'")
        assert any("USING gist (geometry)" in row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_it_refuses_a_second_location_with_the_same_external_id_in_a_source(owner_a: Owner) -> None:
    source = Source.objects.create(owner=owner_a, name="bgt", kind=Source.Kind.FILE, location="/data/bgt.gml")
    Location.objects.create(owner=owner_a, source=source, external_id="G0402.1", geometry=rd_square(0, 0, 5))
    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.create(owner=owner_a, source=source, external_id="G0402.1", geometry=rd_square(9, 9, 5))
    # Locations entered by hand have no source and need no external id.
    Location.objects.create(owner=owner_a, geometry=rd_square(20, 20, 5))
    Location.objects.create(owner=owner_a, geometry=rd_square(30, 30, 5))
    assert Location.objects.count() == 3


@pytest.mark.django_db
def test_it_finds_locations_intersecting_an_area(owner_a: Owner) -> None:
    near = Location.objects.create(owner=owner_a, name="dichtbij", geometry=rd_square(0, 0, 10))
    Location.objects.create(owner=owner_a, name="ver weg", geometry=rd_square(1000, 1000, 10))
    assert list(Location.objects.intersecting(rd_square(5, 5, 10))) == [near]
