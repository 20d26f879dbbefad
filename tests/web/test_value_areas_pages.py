"""The value report per area: the public summary against the regisseur's page, and the CSV and
GeoPackage downloads of the areas with their figures."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pyogrio
import pytest
from django.test import Client

from gis_service.accounts.models import User
from gis_service.groups.models import HourEntry
from gis_service.owners.models import Owner, ValueArea
from tests.conftest import rd_square
from tests.owners.test_value_report import _managed
from tests.web.conftest import logged_in


def _table(html: str, table_id: str) -> list[list[str]]:
    """The cells of one table of a page, row by row (headings included)."""
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S)
    assert table is not None
    return [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)
    ]


REGISSEUR_PATHS = ("/waarde/regisseur/", "/waarde/regisseur/gebieden.csv", "/waarde/regisseur/gebieden.gpkg")


@pytest.fixture
def complexes(owner_b: Owner, resident: User, resident_two: User) -> Owner:
    """Woonstichting Bebouw: complex C-1 (8 households) with 400 m² of heesters, C-2 with nothing,
    and 100 m² outside both."""
    ValueArea.objects.create(
        owner=owner_b,
        kind="complex",
        code="C-1",
        name="Parkflat",
        households=8,
        geometry=rd_square(120000, 486500, 1000),
    )
    ValueArea.objects.create(
        owner=owner_b, kind="complex", code="C-2", name="Hofje", households=20, geometry=rd_square(121000, 486500, 1000)
    )
    group = _managed(owner_b, "Binnentuin", "heesters", 120100, 20, [resident, resident_two])
    _managed(owner_b, "Los", "heesters", 125000, 10, [resident])
    HourEntry.objects.create(group=group, user=resident, worked_on=dt.date(2026, 3, 1), hours=Decimal("7.25"))
    return owner_b


@pytest.fixture
def regisseur_bebouw(complexes: Owner) -> User:
    from gis_service.accounts.models import Membership

    user = User.objects.create_user(username="regisseur_bebouw", email="rb@example.org", password="pw-rb-rb-rb")
    Membership.objects.create(user=user, owner=complexes, role=Membership.Role.REGISSEUR)
    return user


@pytest.mark.django_db
def test_the_public_summary_shows_each_complex_and_its_saving_per_household_but_no_hours(complexes: Owner) -> None:
    response = Client().get("/eigenaren/bebouw/waarde/?jaar=2026")

    assert response.status_code == 200
    html = response.content.decode()
    # 400 m² × € 3.00 = € 1200 over 8 households; no people's figures per area.
    assert _table(html, "value-by-area") == [
        [
            "Gebied",
            "Code",
            "Locaties",
            "m²",
            "Besparing (€)",
            "Huishoudens",
            "Besparing per huishouden (€)",
            "Actieve groepen",
        ],
        ["Hofje", "C-2", "0", "0", "0,00", "20", "0,00", "0"],
        ["Parkflat", "C-1", "1", "400", "1200,00", "8", "150,00", "1"],
        ["buiten de gebieden", "", "1", "100", "300,00", "", "", "1"],
    ]
    assert 'id="value-hours">7,25<' in html  # the owner's total hours
    assert "regisseur/" not in html


@pytest.mark.django_db
def test_only_the_owners_regisseur_sees_people_per_area(
    complexes: Owner, regisseur_bebouw: User, regisseur_a: User, resident: User
) -> None:
    for path in REGISSEUR_PATHS:
        url = f"/eigenaren/bebouw{path}?jaar=2026"
        assert Client().get(url).status_code == 302  # to the log-in
        for stranger in (regisseur_a, resident):
            assert logged_in(stranger).get(url).status_code == 403
        assert logged_in(regisseur_bebouw).get(url).status_code == 200
    assert logged_in(regisseur_bebouw).get("/eigenaren/niemand/waarde/regisseur/").status_code == 404

    html = logged_in(regisseur_bebouw).get("/eigenaren/bebouw/waarde/regisseur/?jaar=2026").content.decode()
    # Parkflat: 1 active group, 2 volunteers, 7.25 hours, no task done.
    assert _table(html, "value-by-area")[2][-4:] == ["1", "2", "7,25", "0"]
    public = logged_in(regisseur_bebouw).get("/eigenaren/bebouw/waarde/?jaar=2026").content.decode()
    assert 'href="/eigenaren/bebouw/waarde/regisseur/?jaar=2026&amp;gebied=complex"' in public


@pytest.mark.django_db
def test_the_area_csv_public_and_for_the_regisseur(complexes: Owner, regisseur_bebouw: User) -> None:
    public = list(
        csv.reader(io.StringIO(Client().get("/eigenaren/bebouw/waarde/gebieden.csv?jaar=2026").content.decode()))
    )
    assert public[0] == [
        "jaar",
        "code",
        "naam",
        "locaties",
        "m²",
        "besparing (€)",
        "actieve groepen",
        "huishoudens",
        "besparing per huishouden (€)",
    ]
    assert public[1:] == [
        ["2026", "C-2", "Hofje", "0", "0", "0.00", "0", "20", "0.00"],
        ["2026", "C-1", "Parkflat", "1", "400.0", "1200.00", "1", "8", "150.00"],
        ["2026", "", "buiten de gebieden", "1", "100.0", "300.00", "1", "", ""],
    ]
    full = logged_in(regisseur_bebouw).get("/eigenaren/bebouw/waarde/regisseur/gebieden.csv?jaar=2026").content.decode()
    rows = list(csv.reader(io.StringIO(full)))
    assert rows[0][-3:] == ["vrijwilligers", "uren", "taken afgerond"]
    assert rows[2][-3:] == ["2", "7.25", "0"]


@pytest.mark.django_db
def test_the_geopackage_holds_the_areas_with_their_figures(complexes: Owner, tmp_path: Path) -> None:
    response = Client().get("/eigenaren/bebouw/waarde/gebieden.gpkg?jaar=2026")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geopackage+sqlite3"
    path = tmp_path / "waarde.gpkg"
    path.write_bytes(response.content)
    info = pyogrio.read_info(path)
    assert (info["layer_name"] if "layer_name" in info else pyogrio.list_layers(path)[0][0]) == "waarde_complex"
    assert info["crs"] == "EPSG:28992"
    assert "vrijwilligers" not in list(info["fields"])
    _meta, _fids, geometries, fields = pyogrio.raw.read(path)
    names = list(_meta["fields"])
    rows = {
        f[names.index("code")]: (f[names.index("besparing_eur")], f[names.index("besparing_per_huishouden_eur")])
        for f in zip(*fields, strict=True)
    }
    assert rows == {"C-1": (1200.0, 150.0), "C-2": (0.0, 0.0)}  # outside the complexes: no shape, not in the file
    assert len(geometries) == 2


@pytest.mark.django_db
def test_a_bad_area_kind_is_refused(complexes: Owner) -> None:
    assert Client().get("/eigenaren/bebouw/waarde/?gebied=provincie").status_code == 400
    assert Client().get("/eigenaren/bebouw/waarde/gebieden.gpkg?jaar=1800").status_code == 400


@pytest.mark.django_db
def test_an_unknown_number_of_households_is_null_in_the_geopackage(complexes: Owner, tmp_path: Path) -> None:
    ValueArea.objects.filter(code="C-2").update(households=None)

    response = Client().get("/eigenaren/bebouw/waarde/gebieden.gpkg?jaar=2026")

    path = tmp_path / "waarde.gpkg"
    path.write_bytes(response.content)
    table = pyogrio.read_dataframe(path)
    households = dict(zip(table["code"], table["huishoudens"], strict=True))
    assert households["C-1"] == 8
    assert households["C-2"] is None or households["C-2"] != households["C-2"]  # NULL: None or NaN, never -1
