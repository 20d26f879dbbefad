import pytest
from django.contrib.gis.db.models import Extent
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gis_service.accounts.models import Membership, User
from gis_service.budgets import selectors as budget_selectors
from gis_service.budgets import services as budget_services
from gis_service.contracts.models import Contract, ManagerSignup, Offering, TermsVersion
from gis_service.groups.models import (
    AgendaItem,
    Follower,
    ForumPost,
    ForumThread,
    Group,
    GroupMember,
    MembershipPeriod,
    NewsPost,
    Task,
)
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from gis_service.owners.selectors import value_report
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


def demo_counts() -> dict[str, int]:
    """How many rows of each kind the demo holds (import runs aside: each sync records one)."""
    models = (Owner, User, Membership, Location, Offering, TermsVersion, Contract, ManagerSignup, Group,
              GroupMember, MembershipPeriod, Follower, NewsPost, ForumThread, ForumPost, AgendaItem, Task,
              Initiative)  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_the_demo_loads_once_and_a_second_run_duplicates_nothing() -> None:
    call_command("load_demo")
    counts = demo_counts()
    assert counts["MembershipPeriod"] == counts["GroupMember"]  # each member's one open period, by the services
    statuses = dict(Location.objects.exclude(name="").values_list("name", "status"))
    call_command("load_demo")
    assert demo_counts() == counts
    assert dict(Location.objects.exclude(name="").values_list("name", "status")) == statuses
    regisseur = User.objects.get(username="regisseur")
    owner = Owner.objects.get(slug="hilversum")
    assert regisseur.directs(owner.pk)
    assert regisseur.check_password("zelfbeheer-regisseur")
    assert User.objects.get(username="admin").is_staff


@pytest.mark.django_db
def test_the_demo_shows_the_product_with_statuses_from_the_rule() -> None:
    """Offers, a location waiting for managers, a managed one with a lively group, a waiting
    initiative, and a housing corporation with its own regisseur and locations in Hilversum."""
    call_command("load_demo")
    hilversum, corporation = Owner.objects.get(slug="hilversum"), Owner.objects.get(slug="hilverhof")
    status = dict(Location.objects.exclude(name="").values_list("name", "status"))
    S = Location.Status
    assert status == {
        "Buurtplantsoen": S.MANAGED,
        "Grasveld aan de rand": S.AVAILABLE,  # one of its two managers signed up
        "Bloemenstrook": S.AVAILABLE,
        "Heesterperk": S.AVAILABLE,
        "Veldje achter de school": S.REQUESTED,  # the waiting initiative asks for it
        "Binnentuin Hilverhof": S.AVAILABLE,
        "Speelplek Hilverhof": S.UNAVAILABLE,  # not offered
        "Geveltuinen Hilverhof": S.MANAGED,  # by a tenant of the complex
    }
    assert Offering.objects.filter(location__owner=hilversum, stopped_at__isnull=True).count() == 4
    tenants = Group.objects.get(location__name="Geveltuinen Hilverhof")
    assert tenants.contract is not None and tenants.contract.status == Contract.Status.ACTIVE
    assert tenants.members.get().user.username == "huurder"
    assert all(offering.current_terms() for offering in Offering.objects.all())

    waiting = Contract.objects.get(location__name="Grasveld aan de rand")
    assert waiting.status == Contract.Status.OPEN and waiting.threshold_reached_at is None
    assert waiting.signups.count() == 1 < waiting.location.offering.managers_needed

    group = Group.objects.get(location__name="Buurtplantsoen")
    assert group.contract is not None and group.contract.status == Contract.Status.ACTIVE
    assert (group.news.count(), group.threads.count(), group.agenda.count(), group.tasks.count()) == (1, 1, 2, 3)
    assert ForumPost.objects.filter(thread__group=group).count() == 2
    volunteer = User.objects.get(username="vrijwilliger")
    assert group.members.get(user=volunteer).role == GroupMember.Role.VOLUNTEER
    assert group.tasks.get(taken_by=volunteer).status == Task.Status.TAKEN

    initiative = Initiative.objects.get()
    assert (initiative.status, initiative.owner) == (Initiative.Status.SUBMITTED, hilversum)

    # Two groenbudgetten: the current one, and a spring one whose accounts the regisseur can decide now.
    grants = {grant.purpose: grant for grant in group.grants.all()}
    spring = grants["Voorjaarsbudget: bollen planten"]
    assert spring.ends_on < timezone.localdate() < grants["Groenbudget: plantgoed en gereedschap"].ends_on
    budget_services.accounts_decide(grant=spring, by=User.objects.get(username="regisseur"), approve=True)
    assert budget_selectors.is_closed(grant=spring)

    assert corporation.kind == Owner.Kind.WONINGCORPORATIE
    cora = User.objects.get(username="corporatie")
    assert cora.directed_owner_ids() == {corporation.pk}
    assert not User.objects.get(username="regisseur").directs(corporation.pk)
    hand_entered = Location.objects.filter(owner=corporation)
    assert hand_entered.count() == 3 and not hand_entered.filter(source__isnull=False).exists()
    bgt = Location.objects.filter(owner=hilversum, source__isnull=False)
    extent = bgt.aggregate(extent=Extent("geometry"))["extent"]
    for location in hand_entered:
        x0, y0, x1, y1 = location.geometry.extent
        assert extent[0] < x0 < x1 < extent[2] and extent[1] < y0 < y1 < extent[3], location  # inside Hilversum
        assert not bgt.filter(geometry__intersects=location.geometry).exists(), location


@pytest.mark.django_db
def test_the_demo_corporation_s_value_report_shows_its_managed_complex() -> None:
    """The corporation's value is not €0: a location in zelfbeheer inside its complex, this year."""
    call_command("load_demo")
    corporation = Owner.objects.get(slug="hilverhof")
    report = value_report(owner=corporation, year=timezone.localdate().year)
    assert report.locations == 1 and report.area_m2 > 0 and report.saving_eur > 0
    (complex_,) = [area for area in report.by_area if area.code == "HH-01"]
    assert complex_.locations == 1 and complex_.saving_eur == report.saving_eur
    assert complex_.households == 64 and report.active_groups == 1


@pytest.mark.django_db
def test_the_demo_gis_admin_reaches_the_importer_screens_by_the_membership_alone(client: Client) -> None:
    call_command("load_demo")
    gis = User.objects.get(username="gisbeheer")
    assert not gis.is_staff and not gis.user_permissions.exists()
    client.force_login(gis)
    assert client.get("/admin/").status_code == 200
    assert "bgt-begroeidterreindeel" in client.get("/admin/importers/source/").content.decode()


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

    import gis_service.urls  # noqa: F401  (the admin's registrations come with the URLconf, as in production)

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
