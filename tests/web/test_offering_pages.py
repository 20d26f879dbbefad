"""The regisseur's offering pages: offer, change, publish terms, stop, offer again — and nobody else."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, Offering, TermsVersion
from gis_service.contracts.services.offering import offering_create, offering_stop
from gis_service.contracts.services.signup import manager_sign_up
from gis_service.core.dates import written_date
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.web.conftest import logged_in

OFFER = {
    "conditions": "Geen gif; bomen blijven van de gemeente.",
    "offered_from": "2026-01-01",
    "offered_until": "2030-12-31",
    "budget_eur": "250,50",
    "reward": "",
    "support": ["materiaal", "kennis"],
    "support_notes": "Tegels en zand van de gemeentewerf.",
    "managers_needed": "3",
    "contract_months": "12",
    "terms_text": "Versie 1: onderhoud de strook zonder chemische middelen.",
}


def offer(location: Location, by: User) -> Offering:
    return offering_create(location=location, by=by, conditions="Geen gif.", terms_text="Versie 1.")


def urls(location: Location) -> list[str]:
    base = f"/locaties/{location.pk}"
    return [f"{base}/aanbieden/", f"{base}/aanbod/", f"{base}/aanbod/voorwaarden/", f"{base}/aanbod/stoppen/"]


def snapshot(location: Location) -> tuple[Any, ...]:
    """What the pages could change: the offering, its terms, its contracts."""
    offering = Offering.objects.filter(location=location).values_list("conditions", "stopped_at").first()
    terms = list(TermsVersion.objects.filter(offering__location=location).values_list("number", flat=True))
    contracts = list(Contract.objects.filter(location=location).values_list("status", flat=True))
    return offering, terms, contracts


# --- who may ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["regisseur_b", "gis_admin_a", "resident", "outsider"])
@pytest.mark.parametrize("offered", [False, True], ids=["not-offered", "offered"])
def test_others_get_403_on_every_page_and_post_and_change_nothing(
    persona: str, offered: bool, green_strip: Location, regisseur_a: User, request: pytest.FixtureRequest
) -> None:
    if offered:
        offer(green_strip, regisseur_a)
    before = snapshot(green_strip)
    client = logged_in(request.getfixturevalue(persona))
    for url in urls(green_strip):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {**OFFER, "text": "Stiekem anders.", "reason": "Weg."}).status_code == 403, url
    assert client.post(f"/locaties/{green_strip.pk}/aanbod/hervatten/").status_code == 403
    assert snapshot(green_strip) == before


@pytest.mark.django_db
def test_a_stopped_offer_is_resumed_by_its_regisseur_only(
    green_strip: Location, regisseur_a: User, regisseur_b: User
) -> None:
    offering = offer(green_strip, regisseur_a)
    offering_stop(offering=offering, by=regisseur_a)
    assert logged_in(regisseur_b).post(f"/locaties/{green_strip.pk}/aanbod/hervatten/").status_code == 403
    offering.refresh_from_db()
    assert offering.stopped_at is not None
    response = logged_in(regisseur_a).post(f"/locaties/{green_strip.pk}/aanbod/hervatten/", follow=True)
    assert "wordt weer aangeboden" in response.content.decode()
    offering.refresh_from_db()
    assert offering.stopped_at is None


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_and_change_nothing(client: Client, green_strip: Location) -> None:
    for url in urls(green_strip):
        for response in (client.get(url), client.post(url, OFFER)):
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    assert not Offering.objects.exists()


@pytest.mark.django_db
def test_a_location_that_does_not_exist_is_404_and_so_is_an_offer_that_does_not(
    green_strip: Location, regisseur_a: User
) -> None:
    client = logged_in(regisseur_a)
    assert client.get("/locaties/999999/aanbieden/").status_code == 404
    for url in urls(green_strip)[1:]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/locaties/{green_strip.pk}/aanbod/hervatten/").status_code == 404


@pytest.mark.django_db
def test_every_write_needs_the_csrf_token(green_strip: Location, regisseur_a: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(regisseur_a)
    assert client.post(f"/locaties/{green_strip.pk}/aanbieden/", OFFER).status_code == 403
    offer(green_strip, regisseur_a)
    for url in urls(green_strip)[1:] + [f"/locaties/{green_strip.pk}/aanbod/hervatten/"]:
        assert client.post(url, {**OFFER, "text": "Anders.", "reason": "Weg."}).status_code == 403, url
    assert snapshot(green_strip) == (("Geen gif.", None), [1], [])


# --- what the location page shows ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_location_page_offers_the_regisseur_to_offer_and_residents_nothing(
    green_strip: Location, regisseur_a: User, regisseur_b: User, resident: User
) -> None:
    page = logged_in(regisseur_a).get(f"/locaties/{green_strip.pk}/").content.decode()
    assert f'href="/locaties/{green_strip.pk}/aanbieden/"' in page and "Stoppen met aanbieden" not in page
    for other in (resident, regisseur_b):
        assert "regisseur-actions" not in logged_in(other).get(f"/locaties/{green_strip.pk}/").content.decode()


@pytest.mark.django_db
def test_an_offered_location_shows_the_regisseur_change_publish_and_stop(
    green_strip: Location, regisseur_a: User, resident: User
) -> None:
    offering = offer(green_strip, regisseur_a)
    page = logged_in(regisseur_a).get(f"/locaties/{green_strip.pk}/").content.decode()
    for action in ("Aanbod wijzigen", "Nieuwe voorwaarden publiceren", "Stoppen met aanbieden"):
        assert action in page
    assert "Opnieuw aanbieden" not in page and f"/locaties/{green_strip.pk}/aanbieden/" not in page
    resident_page = logged_in(resident).get(f"/locaties/{green_strip.pk}/").content.decode()
    assert "Aanbod wijzigen" not in resident_page and 'id="signup"' in resident_page

    offering_stop(offering=offering, by=regisseur_a)
    page = logged_in(regisseur_a).get(f"/locaties/{green_strip.pk}/").content.decode()
    assert "Opnieuw aanbieden" in page and "Stoppen met aanbieden" not in page
    resident_page = logged_in(resident).get(f"/locaties/{green_strip.pk}/").content.decode()
    assert 'id="signup"' not in resident_page and "biedt deze plek sinds" in resident_page
    assert logged_in(resident).get(f"/locaties/{green_strip.pk}/aanmelden/").status_code == 302


# --- the forms ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_regisseur_offers_a_location_with_everything(green_strip: Location, regisseur_a: User) -> None:
    client = logged_in(regisseur_a)
    assert client.get(f"/locaties/{green_strip.pk}/aanbieden/").status_code == 200
    response = client.post(f"/locaties/{green_strip.pk}/aanbieden/", OFFER)
    assert response.status_code == 302 and response["Location"] == f"/locaties/{green_strip.pk}/"
    offering = Offering.objects.get(location=green_strip)
    assert (offering.budget_eur, offering.support) == (Decimal("250.50"), ["kennis", "materiaal"])
    assert offering.current_terms().text == OFFER["terms_text"]  # type: ignore[union-attr]
    # Offered already: the offer page leads to the edit page.
    assert client.get(f"/locaties/{green_strip.pk}/aanbieden/")["Location"] == f"/locaties/{green_strip.pk}/aanbod/"


@pytest.mark.django_db
def test_an_offer_from_a_later_day_says_so_to_the_regisseur_residents_and_the_dashboard(
    green_strip: Location, regisseur_a: User, resident: User
) -> None:
    # It was "wordt nu aangeboden", the page sent residents to file an initiative for it, and it
    # was on neither list of the dashboard.
    opens = timezone.localdate() + dt.timedelta(days=3)
    client = logged_in(regisseur_a)
    done = client.post(
        f"/locaties/{green_strip.pk}/aanbieden/", {**OFFER, "offered_from": opens.isoformat()}, follow=True
    ).content.decode()
    day = written_date(opens)
    assert f"wordt aangeboden vanaf {day}" in done and "wordt nu aangeboden" not in done
    page = logged_in(resident).get(f"/locaties/{green_strip.pk}/").content.decode()
    joining = page[page.index('id="meedoen"') :].split("</section>")[0]
    assert f"Aanmelden als beheerder kan vanaf {day}." in joining and "/initiatief/" not in joining
    dashboard = client.get("/regisseur/").content.decode()
    waiting = dashboard[dashboard.index('id="waiting"') : dashboard.index('id="ground-changed"')]
    assert green_strip.name in waiting and f"aanmelden kan vanaf {day}" in waiting


@pytest.mark.django_db
def test_a_period_ending_before_it_begins_is_said_beside_the_field_and_the_text_stays(
    green_strip: Location, regisseur_a: User
) -> None:
    response = logged_in(regisseur_a).post(
        f"/locaties/{green_strip.pk}/aanbieden/", {**OFFER, "offered_from": "2027-06-01", "offered_until": "2027-05-01"}
    )
    assert response.status_code == 200
    field = response.context["form"]["offered_until"]
    assert field.errors == ["Het einde van de aanbiedingsperiode ligt vóór het begin."]
    page = response.content.decode()
    beside = page[page.index('id="field-offered_until"') :][:900]
    assert "Het einde van de aanbiedingsperiode ligt vóór het begin." in beside
    assert "Geen gif; bomen blijven van de gemeente." in page and "Versie 1: onderhoud de strook" in page
    assert not Offering.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"conditions": ""}, "conditions"),
        ({"budget_eur": "veel"}, "budget_eur"),
        ({"budget_eur": "-5"}, "budget_eur"),
        ({"managers_needed": "0"}, "managers_needed"),
        ({"offered_from": "volgende week"}, "offered_from"),
        ({"terms_text": " "}, "terms_text"),
    ],
)
def test_bad_input_gets_a_message_beside_its_field(
    green_strip: Location, regisseur_a: User, change: dict[str, str], field: str
) -> None:
    response = logged_in(regisseur_a).post(f"/locaties/{green_strip.pk}/aanbieden/", {**OFFER, **change})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert 'class="field has-error" id="field-' + field + '"' in response.content.decode()


@pytest.mark.django_db
def test_the_regisseur_changes_the_offer_and_sees_it_on_the_page(green_strip: Location, regisseur_a: User) -> None:
    offer(green_strip, regisseur_a)
    client = logged_in(regisseur_a)
    form = client.get(f"/locaties/{green_strip.pk}/aanbod/").context["form"]
    assert form["conditions"].value() == "Geen gif."
    changed = {**OFFER, "conditions": "Geen gif, ook geen kunstmest.", "reward": "Bloembollen", "support": ["budget"]}
    response = client.post(f"/locaties/{green_strip.pk}/aanbod/", changed, follow=True)
    page = response.content.decode()
    assert "Het aanbod is bijgewerkt." in page
    assert "Geen gif, ook geen kunstmest." in page and "Bloembollen" in page and "budget of vouchers" in page
    assert Offering.objects.get(location=green_strip).current_terms().number == 1  # type: ignore[union-attr]


@pytest.mark.django_db
def test_publishing_terms_shows_per_manager_who_accepted_the_current_version(
    green_strip: Location, regisseur_a: User, resident: User
) -> None:
    offering = offer(green_strip, regisseur_a)
    manager_sign_up(
        location=green_strip, user=resident, terms_version=offering.current_terms(), plan="Bollen", accept_terms=True
    )
    client = logged_in(regisseur_a)
    page = client.get(f"/locaties/{green_strip.pk}/aanbod/voorwaarden/").content.decode()
    assert "Riet Eerste" in page and "geaccepteerd" in page and "nog niet" not in page
    response = client.post(f"/locaties/{green_strip.pk}/aanbod/voorwaarden/", {"text": "Versie 2."}, follow=True)
    page = response.content.decode()
    assert "Versie 2 is gepubliceerd." in page and "<strong>nog niet</strong>" in page
    # The same text again makes no version 3.
    response = client.post(f"/locaties/{green_strip.pk}/aanbod/voorwaarden/", {"text": "Versie 2."}, follow=True)
    assert "er is niets veranderd" in response.content.decode()
    assert offering.terms_versions.count() == 2


@pytest.mark.django_db
def test_stopping_with_sign_ups_waiting_asks_for_the_reason_they_will_read(
    green_strip: Location, regisseur_a: User, resident: User
) -> None:
    offering = offer(green_strip, regisseur_a)
    manager_sign_up(
        location=green_strip, user=resident, terms_version=offering.current_terms(), plan="Bollen", accept_terms=True
    )
    client = logged_in(regisseur_a)
    page = client.get(f"/locaties/{green_strip.pk}/aanbod/stoppen/").content.decode()
    assert "Riet Eerste" in page and "wordt afgewezen" in page
    response = client.post(f"/locaties/{green_strip.pk}/aanbod/stoppen/", {"reason": ""})
    assert list(response.context["form"].errors) == ["reason"]
    response = client.post(f"/locaties/{green_strip.pk}/aanbod/stoppen/", {"reason": "Er komt een fietspad."})
    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.stopped_at is not None
    assert Contract.objects.get(location=green_strip).rejection_reason == "Er komt een fietspad."


# --- the dashboard ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboard_finds_the_owners_locations_not_offered_yet(
    green_strip: Location, regisseur_a: User, owner_a: Owner, owner_b: Owner
) -> None:
    offered = Location.objects.create(owner=owner_a, name="Rotonde Noord", geometry=rd_square(121000, 486000, 10))
    offer(offered, regisseur_a)
    stopped = Location.objects.create(owner=owner_a, name="Berm Dorpsweg", geometry=rd_square(122000, 486000, 10))
    offering_stop(offering=offer(stopped, regisseur_a), by=regisseur_a)
    Location.objects.create(owner=owner_b, name="Binnentuin Bebouw", geometry=rd_square(123000, 486000, 10))
    client = logged_in(regisseur_a)
    page = client.get("/regisseur/").content.decode()
    # The section of locations to offer (the offered one waits for managers in a section of its own).
    to_offer = page[page.index('<section aria-labelledby="h-offer" id="to-offer">') :]
    to_offer = to_offer[: to_offer.index("</section>")]
    assert f'href="/locaties/{green_strip.pk}/aanbieden/"' in to_offer and "Berm Dorpsweg" in to_offer
    assert "Rotonde Noord" not in to_offer and "Binnentuin Bebouw" not in page
    assert "Rotonde Noord" in page[page.index('id="waiting-list"') :]
    found = client.get("/regisseur/", {"q": "vondel"}).context["to_offer"]
    assert found == [green_strip]
