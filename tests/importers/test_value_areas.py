"""Loading the value report's areas (CBS buurten, complexes) from files with the importer's reader."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyogrio.raw as pyogrio_raw
import pytest
import shapely
from django.core.management import CommandError, call_command

from gis_service.owners.models import Owner, ValueArea


def _square(x: float, y: float, size: float) -> bytes:
    return shapely.to_wkb(shapely.box(x, y, x + size, y + size))


@pytest.mark.django_db
def test_a_cbs_geopackage_loads_codes_names_and_households(owner_b: Owner, tmp_path: Path) -> None:
    path = tmp_path / "wijkenbuurten.gpkg"
    pyogrio_raw.write(
        path,
        np.array(
            [_square(120000, 486000, 1000), _square(121000, 486000, 1000), _square(130000, 486000, 10)], dtype=object
        ),
        [np.array(["BU01", "BU02", "BU99"]), np.array(["Oost", "West", "Elders"]), np.array([120, -99999999, 3])],
        fields=["buurtcode", "buurtnaam", "aantalHuishoudens"],
        layer="buurten",
        geometry_type="Polygon",
        crs="EPSG:28992",
        driver="GPKG",
    )
    ValueArea.objects.create(
        owner=owner_b,
        kind="complex",
        code="OLD",
        name="Weg",
        geometry=ValueArea._meta.get_field("geometry").to_python(
            "SRID=28992;MULTIPOLYGON(((0 300000,10 300000,10 300010,0 300000)))"
        ),
    )

    call_command(
        "load_value_areas",
        str(path),
        owner="bebouw",
        kind="complex",
        households_field="aantalhuishoudens",
        where="buurtcode <> 'BU99'",
        replace=True,
    )

    areas = {a.code: (a.name, a.households, round(a.geometry.area)) for a in ValueArea.objects.filter(owner=owner_b)}
    # CBS's secret count (-99999999) is no figure; the filtered-out and the missing area are gone.
    assert areas == {"BU01": ("Oost", 120, 1_000_000), "BU02": ("West", None, 1_000_000)}

    # Loading again updates in place.
    call_command("load_value_areas", str(path), owner="bebouw", kind="complex", name_field="buurtcode")
    assert ValueArea.objects.get(code="BU01").name == "BU01"
    assert ValueArea.objects.count() == 3


@pytest.mark.django_db
def test_a_geojson_in_wgs84_is_reprojected_and_a_bad_file_changes_nothing(owner_a: Owner, tmp_path: Path) -> None:
    path = tmp_path / "buurten.geojson"
    ring = [[5.387, 52.155], [5.397, 52.155], [5.397, 52.165], [5.387, 52.165], [5.387, 52.155]]
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": "B1", "naam": "Centrum"},
                        "geometry": {"type": "Polygon", "coordinates": [ring]},
                    }
                ],
            }
        )
    )

    call_command("load_value_areas", str(path), owner="aadorp", code_field="code", name_field="naam")

    area = ValueArea.objects.get()
    # Amersfoort's centre lies near RD (155000, 463000).
    centre = area.geometry.centroid
    assert (area.kind, area.name, area.geometry.srid) == ("buurt", "Centrum", 28992)
    assert abs(centre.x - 155_500) < 2_000 and abs(centre.y - 463_500) < 2_000

    with pytest.raises(CommandError, match="'bestaatniet' is geen veld"):
        call_command("load_value_areas", str(path), owner="aadorp", code_field="bestaatniet", replace=True)
    assert ValueArea.objects.count() == 1
