"""The whole workflow through the API, with e-mails arriving at a real SMTP server via a real worker."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gis_service.contracts.models import Contract
from gis_service.locations.models import Location
from tests.conftest import rd_square
from tests.contracts.factories import offered_location

RD = "http://www.opengis.net/def/crs/EPSG/0/28992"


def square(x, y, size):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def logged_in(user):
    client = APIClient()
    assert client.login(username=user.username, password="pw-" + user.username * 2)
    return client


@pytest.mark.django_db(transaction=True)
def test_offer_sign_up_decide_change_terms_and_initiatives(
    owner_a, owner_b, regisseur_a, regisseur_b, resident, resident_two, outsider, celery_worker, smtp_server
) -> None:
    smtp_server.clear()
    location = offered_location(owner=owner_a, regisseur=regisseur_a, x=140000, y=466000, size=30, managers_needed=2)
    anonymous = APIClient()

    # Anyone looks at the location and tries an area before signing up.
    feature = anonymous.get(f"/api/locations/{location.pk}/").json()
    terms = feature["properties"]["offering"]["current_terms"]
    assert feature["type"] == "Feature" and terms["number"] == 1
    check = anonymous.post("/api/overlap-check/", {"geometry": square(140000, 466000, 30), "crs": RD}, format="json")
    assert check.status_code == 200 and check.data["locations"][0]["id"] == location.pk

    # Two residents sign up: one by session (the web), one by token (an integration).
    riet = logged_in(resident)
    assert anonymous.post(f"/api/locations/{location.pk}/signups/", {}, format="json").status_code in (401, 403)
    answer = riet.post(f"/api/locations/{location.pk}/signups/",
                       {"terms_version": terms["id"], "plan": "Bloemen voor bijen", "accept_terms": True},
                       format="json")  # fmt: skip
    assert answer.status_code == 201, answer.data
    contract_id = answer.data["contract"]
    ruud = APIClient()
    ruud.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=resident_two).key}")
    answer = ruud.post(f"/api/locations/{location.pk}/signups/",
                       {"terms_version": terms["id"], "plan": "Een moestuin", "accept_terms": True},
                       format="json")  # fmt: skip
    assert answer.status_code == 201, answer.data

    # The threshold (2) is reached: the regisseur of owner A gets one e-mail.
    (alert,) = smtp_server.wait_for(1)
    assert alert["To"] == "regisseur_a@example.org"
    assert "Een moestuin" in alert.get_content() and "0687654321" in alert.get_content()

    # Owner B's regisseur and an outsider cannot decide; owner A's regisseur approves.
    assert logged_in(regisseur_b).post(f"/api/contracts/{contract_id}/approve/", {}, format="json").status_code == 404
    assert logged_in(outsider).post(f"/api/contracts/{contract_id}/approve/", {}, format="json").status_code == 404
    assert riet.post(f"/api/contracts/{contract_id}/approve/", {}, format="json").status_code == 403
    regisseur = logged_in(regisseur_a)
    answer = regisseur.post(f"/api/contracts/{contract_id}/approve/", {}, format="json")
    assert answer.status_code == 200, answer.data
    assert answer.data["status"] == "active"
    approved = smtp_server.wait_for(3)[1:]  # a message to each manager: neither sees the other's address
    assert sorted(message["To"] for message in approved) == ["resident_one@example.org", "resident_two@example.org"]
    assert all("Goedgekeurd" in message["Subject"] for message in approved)
    assert Location.objects.get(pk=location.pk).status == Location.Status.MANAGED
    smtp_server.clear()

    # The terms change: managers are asked to accept; the contract shows who has.
    new = regisseur.post(f"/api/locations/{location.pk}/terms/", {"text": "Versie 2: ook zwerfvuil."}, format="json")
    assert new.status_code == 201 and new.data["number"] == 2
    asked = smtp_server.wait_for(2)
    assert all("opnieuw akkoord" in message["Subject"] for message in asked)
    accept = {"terms_version": new.data["id"], "accept_terms": True}
    assert riet.post(f"/api/contracts/{contract_id}/accept-terms/", accept, format="json").status_code == 200
    managers = regisseur.get(f"/api/contracts/{contract_id}/").data["managers"]
    assert {m["email"]: m["has_accepted_current_terms"] for m in managers} == {
        "resident_one@example.org": True,
        "resident_two@example.org": False,
    }
    # The public sees the active contract, but not the managers' contact details.
    assert anonymous.get(f"/api/contracts/{contract_id}/").data["managers"] is None
    smtp_server.clear()

    # An initiative on the active contract's ground is refused at once; a free one is filed.
    Location.objects.create(owner=owner_a, name="Park", geometry=rd_square(140100, 466000, 200))
    clash = ruud.post("/api/initiatives/", {"geometry": square(140010, 466010, 10), "crs": RD,
                                            "description": "Speeltuin"}, format="json")  # fmt: skip
    assert clash.status_code == 400 and clash.data["error"]["code"] == "overlaps_contract"
    filed = ruud.post("/api/initiatives/", {"geometry": square(140150, 466050, 40), "crs": RD,
                                            "description": "Speeltuin"}, format="json")  # fmt: skip
    assert filed.status_code == 201, filed.data
    (notice,) = smtp_server.wait_for(1)
    assert notice["To"] == "regisseur_a@example.org" and "Speeltuin" in notice.get_content()
    assert logged_in(regisseur_b).post(f"/api/initiatives/{filed.data['id']}/approve/").status_code == 404
    smtp_server.clear()
    answer = regisseur.post(f"/api/initiatives/{filed.data['id']}/reject/", {"reason": "Te dicht bij de weg."},
                            format="json")  # fmt: skip
    assert answer.status_code == 200
    (rejected,) = smtp_server.wait_for(1)
    assert rejected["To"] == "resident_two@example.org" and "Te dicht bij de weg." in rejected.get_content()

    # A second initiative is approved: a new location with an active contract.
    smtp_server.clear()
    filed = ruud.post("/api/initiatives/", {"geometry": square(140150, 466100, 40), "crs": RD,
                                            "description": "Bloemenweide"}, format="json")  # fmt: skip
    smtp_server.wait_for(1)
    answer = regisseur.post(f"/api/initiatives/{filed.data['id']}/approve/", {"name": "Bloemenweide"}, format="json")
    assert answer.status_code == 200, answer.data
    assert Contract.objects.get(pk=answer.data["contract"]).status == Contract.Status.ACTIVE
    messages = smtp_server.wait_for(2)
    assert messages[1]["To"] == "resident_two@example.org" and "Goedgekeurd" in messages[1]["Subject"]


@pytest.mark.django_db
def test_session_writes_need_a_csrf_token(owner_a, regisseur_a, resident) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(resident)
    body = {"terms_version": location.offering.current_terms().pk, "plan": "x", "accept_terms": True}
    assert client.post(f"/api/locations/{location.pk}/signups/", body, format="json").status_code == 403
    assert not Contract.objects.exists()
