import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gis_service.accounts.models import Membership, User
from gis_service.contracts.models import Contract, Offering, TermsVersion
from gis_service.groups.models import Follower, Group
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers.models import Source
from tests.conftest import rd_square


@pytest.mark.django_db
def test_staff_see_owners_and_locations_in_the_admin_with_a_map_widget(client: Client, owner_a: Owner) -> None:
    admin = User.objects.create_superuser("staff", "staff@example.org", "staff-password")
    location = Location.objects.create(owner=owner_a, name="Rotonde Oost", geometry=rd_square(140000, 466000, 30))
    client.force_login(admin)
    assert client.get("/admin/owners/owner/").status_code == 200
    listing = client.get("/admin/locations/location/")
    assert listing.status_code == 200 and "Rotonde Oost" in listing.content.decode()
    change = client.get(f"/admin/locations/location/{location.pk}/change/")
    assert change.status_code == 200
    page = change.content.decode()
    assert 'id="id_geometry_map" class="dj_map"' in page
    # OpenLayers comes from our static files, not from a CDN a municipal network may block.
    assert "/static/openlayers/ol.js" in page and "cdn.jsdelivr" not in page


@pytest.mark.django_db
def test_residents_cannot_open_the_admin(client: Client, resident: User) -> None:
    client.force_login(resident)
    response = client.get("/admin/locations/location/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_the_demo_loads_once_and_a_second_run_duplicates_nothing() -> None:
    call_command("load_demo")
    counts = (Owner.objects.count(), User.objects.count(), Membership.objects.count(), Location.objects.count())
    call_command("load_demo")
    assert (Owner.objects.count(), User.objects.count(), Membership.objects.count(), Location.objects.count()) == counts
    regisseur = User.objects.get(username="regisseur")
    owner = Owner.objects.get(slug="hilversum")
    assert regisseur.directs(owner.pk)
    assert regisseur.check_password("zelfbeheer-regisseur")
    assert User.objects.get(username="admin").is_staff


@pytest.mark.django_db
def test_the_map_page_answers(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert 'id="map"' in response.content.decode()


def _admin_list_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_admin_lists_ask_no_query_per_row(client: Client, owner_a: Owner, resident: User) -> None:
    """A list row names its location, source or group: read with the rows, not one query each."""
    client.force_login(User.objects.create_superuser("staff", "staff@example.org", "staff-password"))
    source = Source.objects.create(owner=owner_a, name="bgt", kind=Source.Kind.FILE, location="/data/bgt.gpkg")
    lists = ("/admin/locations/location/", "/admin/contracts/contract/", "/admin/groups/follower/")

    def add_rows(first: int, count: int) -> None:
        for i in range(first, first + count):
            geometry = rd_square(140000 + 50 * i, 466000, 20)
            location = Location.objects.create(
                owner=owner_a, name=f"Berm {i}", geometry=geometry, source=source, external_id=str(i)
            )
            offering = Offering.objects.create(location=location, conditions="x")
            terms = TermsVersion.objects.create(offering=offering, number=1, text="x")
            Contract.objects.create(location=location, geometry=geometry, terms_version=terms)
            group = Group.objects.create(location=location, name=f"Groep {i}")
            follower = User.objects.create_user(f"volger{i}")
            Follower.objects.create(group=group, user=follower)

    add_rows(0, 2)
    few = [_admin_list_queries(client, url) for url in lists]
    add_rows(2, 4)
    many = [_admin_list_queries(client, url) for url in lists]
    assert many == few


@pytest.mark.django_db
def test_every_admin_list_and_change_page_opens_on_the_demo_data(client: Client) -> None:
    """A page that fails only once data exists (a source with a run, say) is caught here, not by a GIS admin."""
    from django.contrib import admin
    from django.urls import reverse

    call_command("load_demo")
    client.force_login(User.objects.create_superuser("smoke", "smoke@example.org", "smoke-password"))
    opened = set()
    for model in admin.site._registry:
        meta = model._meta
        listing = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(listing).status_code == 200, listing
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            assert client.get(change).status_code == 200, change
            opened.add(meta.label)
    # The demo fills what the GIS admins and regisseurs work with, so their pages are opened with rows.
    assert {"importers.Source", "importers.ImportRun", "locations.Location", "owners.Owner"} <= opened
