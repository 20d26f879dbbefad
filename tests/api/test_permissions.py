"""The permission matrix: every forbidden action for every persona answers 403 or 404 and changes nothing."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from rest_framework.test import APIClient

from gis_service.accounts.models import Membership, User
from gis_service.contracts.models import Contract, ManagerSignup, Offering, TermsAcceptance, TermsVersion
from gis_service.initiatives import services as initiative_services
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from tests.conftest import rd_square
from tests.contracts.factories import offered_location, sign_up

PERSONAS = ["anonymous", "outsider", "resident", "resident_two", "regisseur_b", "gis_admin_a", "staff"]

# action: (method, url template, body, personas allowed to do it)
ACTIONS = {
    "approve contract": ("post", "/api/contracts/{contract}/approve/", {}, {"regisseur_a"}),
    "reject contract": ("post", "/api/contracts/{contract}/reject/", {"reason": "nee"}, {"regisseur_a"}),
    "approve initiative": ("post", "/api/initiatives/{initiative}/approve/", {}, {"regisseur_a"}),
    "reject initiative": ("post", "/api/initiatives/{initiative}/reject/", {"reason": "nee"}, {"regisseur_a"}),
    "publish terms": ("post", "/api/locations/{location}/terms/", {"text": "Versie 2"}, {"regisseur_a"}),
    "offer a location": ("post", "/api/locations/{bare_location}/offering/",
                         {"conditions": "Geen gif", "terms_text": "Herstel bij einde"}, {"regisseur_a"}),
    "withdraw a sign-up": ("post", "/api/signups/{signup}/withdraw/", {}, {"resident"}),
    "accept terms": ("post", "/api/contracts/{contract}/accept-terms/", {"terms_version": "{terms}",
                                                                          "accept_terms": True}, {"resident"}),
    "read an open contract": ("get", "/api/contracts/{contract}/", None, {"resident", "regisseur_a", "staff"}),
    "read an initiative": ("get", "/api/initiatives/{initiative}/", None, {"resident_two", "regisseur_a", "staff"}),
    "sign up": ("post", "/api/locations/{location}/signups/", {"terms_version": "{terms}", "plan": "x",
                                                               "accept_terms": True},
                set(PERSONAS) - {"anonymous"}),  # anyone logged in (the resident is already signed up: a 400)
    # Joining takes the invite token an initiator shares; the sequential id alone opened every one.
    "join an initiative without its invite": ("post", "/api/initiatives/{initiative}/join/", {}, set()),
    "join an initiative with a guessed invite": ("post", "/api/initiatives/{initiative}/join/",
                                                 {"token": "0" * 32}, set()),
}  # fmt: skip
CASES = [(action, persona) for action, spec in ACTIONS.items() for persona in PERSONAS if persona not in spec[3]]


@pytest.fixture
def world(owner_a, regisseur_a, regisseur_b, gis_admin_a, resident, resident_two, outsider):
    owner_a.territory = MultiPolygon(Polygon.from_bbox((0, 0, 100000, 1000000)), srid=28992)
    owner_a.save()
    location = offered_location(owner=owner_a, regisseur=regisseur_a, x=1000, y=1000)
    contract = sign_up(location, resident)
    from gis_service.geo.areas import parse_area

    area = parse_area({"type": "Polygon", "coordinates": [[[0, 0], [50, 0], [50, 50], [0, 50], [0, 0]]]}, "EPSG:28992")
    initiative = initiative_services.initiative_submit(user=resident_two, description="Moestuin", area=area)
    staff = User.objects.create_user(username="staff", email="staff@example.org", is_staff=True)
    users = {"resident": resident, "resident_two": resident_two, "outsider": outsider, "regisseur_b": regisseur_b,
             "gis_admin_a": gis_admin_a, "staff": staff}  # fmt: skip
    bare = Location.objects.create(owner=owner_a, name="Boomspiegel", geometry=rd_square(5000, 5000, 4))
    ids = {"contract": contract.pk, "initiative": initiative.pk, "location": location.pk, "bare_location": bare.pk,
           "signup": ManagerSignup.objects.get(user=resident).pk, "terms": contract.terms_version_id}  # fmt: skip
    return users, ids


def snapshot():
    return (
        list(Contract.objects.values_list("id", "status", "terms_version_id", "decided_at").order_by("id")),
        list(ManagerSignup.objects.values_list("id", "withdrawn_at").order_by("id")),
        list(Initiative.objects.values_list("id", "status", "contract_id").order_by("id")),
        list(Initiative.initiators.through.objects.values_list("initiative_id", "user_id").order_by("id")),
        TermsVersion.objects.count(),
        TermsAcceptance.objects.count(),
        Location.objects.count(),
        Offering.objects.count(),
    )


def fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids) if value != "{terms}" else ids["terms"]
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    return value


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "persona"), CASES, ids=[f"{a}-{p}" for a, p in CASES])
def test_a_forbidden_action_answers_403_or_404_and_changes_nothing(world, action, persona) -> None:
    users, ids = world
    method, url, body, _ = ACTIONS[action]
    client = APIClient()
    if persona != "anonymous":
        client.force_authenticate(users[persona])
    before = snapshot()
    answer = getattr(client, method)(fill(url, ids), fill(body, ids), format="json")
    assert answer.status_code in (403, 404), (answer.status_code, getattr(answer, "data", None))
    assert snapshot() == before


@pytest.mark.django_db
def test_the_allowed_personas_can_act(world, regisseur_a) -> None:
    users, ids = world
    users["regisseur_a"] = regisseur_a
    for action in ("read an open contract", "read an initiative", "accept terms", "publish terms", "offer a location"):
        method, url, body, allowed = ACTIONS[action]
        for persona in allowed:
            client = APIClient()
            client.force_authenticate(users[persona])
            answer = getattr(client, method)(fill(url, ids), fill(body, ids), format="json")
            assert answer.status_code in (200, 201), (action, persona, answer.data)


@pytest.mark.django_db
def test_a_gis_admin_with_admin_access_sees_no_residents_of_other_owners(
    owner_a, owner_b, regisseur_b, resident, resident_two
) -> None:
    """GIS admins are staff to reach the importer screens, but their role is tied to their own
    owner: staff status must not hand them every owner's residents, plans and initiatives."""
    gis_admin = User.objects.create_user(username="gis_staff", email="gis@example.org", is_staff=True)
    Membership.objects.create(user=gis_admin, owner=owner_a, role=Membership.Role.GIS_ADMIN)
    open_contract = sign_up(offered_location(owner=owner_b, regisseur=regisseur_b, x=1000, y=1000), resident)
    active = sign_up(offered_location(owner=owner_b, regisseur=regisseur_b, x=3000, y=3000), resident_two)
    Contract.objects.filter(pk=active.pk).update(status=Contract.Status.ACTIVE, starts_on="2026-01-01")
    initiative = Initiative.objects.create(
        owner=owner_b, geometry=rd_square(5000, 5000, 10), description="Moestuin", created_by=resident
    )
    initiative.initiators.add(resident)
    client = APIClient()
    client.force_authenticate(gis_admin)
    assert client.get(f"/api/contracts/{open_contract.pk}/").status_code == 404
    assert client.get(f"/api/contracts/{active.pk}/").data["managers"] is None  # public, without the people
    assert client.get(f"/api/initiatives/{initiative.pk}/").status_code == 404
    assert client.get("/api/initiatives/").data["results"] == []  # the list is paged
