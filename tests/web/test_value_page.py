"""The public value page and its CSV: sums per owner, never a person."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client

from gis_service.accounts.models import User
from gis_service.groups.models import HourEntry
from gis_service.locations.models import Location
from gis_service.owners.models import MaintenanceCost, Owner
from tests.conftest import rd_square
from tests.owners.test_value_report import _managed
from tests.web.conftest import logged_in


@pytest.mark.django_db
def test_the_public_page_shows_the_figures_and_no_person(owner_a: Owner, resident: User) -> None:
    resident.first_name, resident.last_name = "Rianne", "Tuinier"
    resident.save()
    group = _managed(owner_a, "Veld", "heesters", 121000, 10, [resident])  # 100 m² × € 3.00
    HourEntry.objects.create(group=group, user=resident, worked_on=dt.date(2026, 3, 1), hours=Decimal("2.50"))

    response = Client().get("/eigenaren/aadorp/waarde/?jaar=2026")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="value-saving">300,00<' in html or 'id="value-saving">300.00<' in html
    assert 'id="value-volunteers">1<' in html
    for personal in ("Rianne", "Tuinier", resident.username, resident.email):
        assert personal not in html


@pytest.mark.django_db
def test_the_csv_sums_per_type_through_the_safe_writer(owner_a: Owner, resident: User) -> None:
    _managed(owner_a, "=Veld", "=heesters", 121000, 10, [resident])

    response = Client().get("/eigenaren/aadorp/waarde.csv?jaar=2026")

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["2026", "'=heesters", "1", "100.0", "1.00", "100.00"]
    assert rows[-1][1:] == ["totaal", "1", "100.0", "", "100.00"]


@pytest.mark.django_db
def test_a_bad_year_is_refused_and_an_unknown_owner_is_404(owner_a: Owner) -> None:
    assert Client().get("/eigenaren/aadorp/waarde/?jaar=morgen").status_code == 400
    assert Client().get("/eigenaren/niemand/waarde/").status_code == 404


@pytest.mark.django_db
def test_the_regisseur_dashboard_links_to_the_value_page(regisseur_a: User) -> None:
    html = logged_in(regisseur_a).get("/regisseur/").content.decode()
    assert 'href="/eigenaren/aadorp/waarde/"' in html


@pytest.mark.django_db
def test_only_the_owners_regisseur_edits_the_cost_table(
    owner_a: Owner, regisseur_a: User, regisseur_b: User, resident: User
) -> None:
    post = {"type": "heesters", "cost_per_m2": "4.50"}
    assert Client().post("/eigenaren/aadorp/kosten/", post).status_code == 302  # to the login page
    for stranger in (regisseur_b, resident):
        assert logged_in(stranger).get("/eigenaren/aadorp/kosten/").status_code == 403
        assert logged_in(stranger).post("/eigenaren/aadorp/kosten/", post).status_code == 403
    assert not MaintenanceCost.objects.exists()

    client = logged_in(regisseur_a)
    assert client.post("/eigenaren/aadorp/kosten/", {"type": "heesters", "cost_per_m2": "-1"}).status_code == 400
    assert not MaintenanceCost.objects.exists()
    assert client.post("/eigenaren/aadorp/kosten/", post).status_code == 302
    assert list(MaintenanceCost.objects.values_list("owner__slug", "type", "cost_per_m2")) == [
        ("aadorp", "heesters", Decimal("4.50"))
    ]


@pytest.mark.django_db
def test_the_cost_table_lists_the_owners_own_types_with_the_cost_counted_now(owner_a: Owner, regisseur_a: User) -> None:
    # A corporation's geveltuin is in no default: the page named only the defaults, so the
    # regisseur had to guess which types their locations have and how they are spelt.
    Location.objects.create(owner=owner_a, name="Gevel", type="Geveltuin", geometry=rd_square(150000, 450000, 10))
    Location.objects.create(owner=owner_a, name="Hof", type="binnentuin", geometry=rd_square(150100, 450000, 20))
    client = logged_in(regisseur_a)
    client.post("/eigenaren/aadorp/kosten/", {"type": "Binnentuin", "cost_per_m2": "3,25"})
    page = client.get("/eigenaren/aadorp/kosten/").content.decode()
    table = page[page.index('id="owned-types"') : page.index("</table>", page.index('id="owned-types"'))]
    assert table.index("binnentuin") < table.index("geveltuin")  # most m² first
    assert "3,25 (eigen bedrag)" in table and "1,00 (standaard)" in table
    assert 'list="owned-type-names"' in page and '<option value="geveltuin">' in page
