"""Changing, stopping and resuming an offering: only the owner's regisseurs, checked by the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, Offering
from gis_service.contracts.services.offering import (
    offering_create,
    offering_resume,
    offering_stop,
    offering_update,
)
from gis_service.contracts.services.signup import manager_sign_up
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import SmtpServer, rd_square
from tests.contracts.factories import active_contract, offered_location, sign_up


def changes(**overrides: Any) -> dict[str, Any]:
    """Every field of an offering edit, with `overrides`."""
    fields: dict[str, Any] = {
        "conditions": "Geen gif. Snoeiafval zelf afvoeren.",
        "managers_needed": 2,
        "contract_months": 24,
        "offered_from": dt.date(2026, 1, 1),
        "offered_until": dt.date(2030, 12, 31),
        "budget_eur": Decimal("250.50"),
        "reward": "Een bloembollenpakket per jaar",
        "support": ["gereedschap", "kennis"],
        "support_notes": "Gereedschap te leen bij de gemeentewerf.",
    }
    return {**fields, **overrides}


@pytest.fixture
def offering(owner_a: Owner, regisseur_a: User) -> Offering:
    return offered_location(owner=owner_a, regisseur=regisseur_a).offering


@pytest.mark.django_db
def test_a_regisseur_changes_everything_offered_but_the_terms(offering: Offering, regisseur_a: User) -> None:
    terms = offering.current_terms()
    offering_update(offering=offering, by=regisseur_a, **changes(support=["kennis", "gereedschap", "kennis"]))
    offering.refresh_from_db()
    assert offering.conditions == "Geen gif. Snoeiafval zelf afvoeren."
    assert (offering.managers_needed, offering.contract_months) == (2, 24)
    assert (offering.offered_from, offering.offered_until) == (dt.date(2026, 1, 1), dt.date(2030, 12, 31))
    assert (offering.budget_eur, offering.reward) == (Decimal("250.50"), "Een bloembollenpakket per jaar")
    assert offering.support == ["gereedschap", "kennis"]
    assert offering.current_terms() == terms


@pytest.mark.django_db
def test_it_refuses_a_period_that_ends_before_it_begins_with_a_message_on_the_end(
    offering: Offering, regisseur_a: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        offering_update(
            offering=offering,
            by=regisseur_a,
            **changes(offered_from=dt.date(2027, 6, 1), offered_until=dt.date(2027, 5, 31)),
        )
    assert refused.value.message_dict == {"offered_until": ["Het einde van de aanbiedingsperiode ligt vóór het begin."]}
    offering.refresh_from_db()
    assert offering.offered_from is None and offering.conditions.startswith("Geen gif; bomen")


@pytest.mark.django_db
def test_the_databases_rule_on_managers_needed_becomes_a_field_message(offering: Offering, regisseur_a: User) -> None:
    """Zero passes the field's own validation (a positive small integer may be 0); the CHECK refuses it."""
    with pytest.raises(ValidationError) as refused:
        offering_update(offering=offering, by=regisseur_a, **changes(managers_needed=0))
    assert refused.value.message_dict == {"managers_needed": ["Er is minstens één beheerder nodig."]}


@pytest.mark.django_db
def test_offering_create_says_the_period_rule_in_words_too(owner_a: Owner, regisseur_a: User) -> None:
    location = Location.objects.create(owner=owner_a, name="Rotonde", geometry=rd_square(141000, 466000, 10))
    with pytest.raises(ValidationError) as refused:
        offering_create(
            location=location,
            by=regisseur_a,
            conditions="Geen gif.",
            terms_text="Versie 1.",
            offered_from=dt.date(2027, 6, 1),
            offered_until=dt.date(2027, 1, 1),
        )
    assert list(refused.value.message_dict) == ["offered_until"]
    assert not Offering.objects.filter(location=location).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"conditions": "   "}, "conditions"),
        ({"support": ["massage"]}, "support"),
        ({"budget_eur": Decimal("-1")}, "budget_eur"),
        ({"reward": "x" * 256}, "reward"),
    ],
)
def test_it_refuses_what_no_municipality_means(
    offering: Offering, regisseur_a: User, override: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        offering_update(offering=offering, by=regisseur_a, **changes(**override))
    assert list(refused.value.message_dict) == [field]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["regisseur_b", "gis_admin_a", "resident", "outsider"])
def test_only_a_regisseur_of_the_owner_changes_stops_or_resumes(
    offering: Offering, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        offering_update(offering=offering, by=user, **changes())
    with pytest.raises(PermissionDenied):
        offering_stop(offering=offering, by=user, reason="Weg ermee.")
    Offering.objects.filter(pk=offering.pk).update(stopped_at=timezone.now())
    with pytest.raises(PermissionDenied):
        offering_resume(offering=offering, by=user)
    offering.refresh_from_db()
    assert offering.managers_needed == 3 and offering.stopped_at is not None


@pytest.mark.django_db
def test_lowering_managers_needed_to_the_sign_ups_reaches_the_threshold(
    offering: Offering, regisseur_a: User, resident: User, resident_two: User
) -> None:
    contract = sign_up(offering.location, resident)
    sign_up(offering.location, resident_two)
    contract.refresh_from_db()
    assert contract.threshold_reached_at is None  # 2 of 3
    offering_update(offering=offering, by=regisseur_a, **changes(managers_needed=2))
    contract.refresh_from_db()
    assert contract.threshold_reached_at is not None  # now on the regisseur's dashboard


@pytest.mark.django_db
def test_a_stopped_location_takes_no_sign_ups(offering: Offering, regisseur_a: User, resident: User) -> None:
    offering_stop(offering=offering, by=regisseur_a)
    with pytest.raises(ValidationError) as refused:
        sign_up(offering.location, resident)
    assert refused.value.message_dict == {"location": ["Deze locatie wordt niet meer aangeboden."]}
    assert not Contract.objects.filter(location=offering.location).exists()


@pytest.mark.django_db
def test_stopping_while_sign_ups_wait_needs_a_reason(offering: Offering, regisseur_a: User, resident: User) -> None:
    contract = sign_up(offering.location, resident)
    with pytest.raises(ValidationError) as refused:
        offering_stop(offering=offering, by=regisseur_a, reason=" ")
    assert list(refused.value.message_dict) == ["reason"]
    offering.refresh_from_db()
    contract.refresh_from_db()
    assert offering.stopped_at is None and contract.status == Contract.Status.OPEN


@pytest.mark.django_db
def test_stopping_an_offer_nobody_signed_closes_its_empty_contract(
    offering: Offering, regisseur_a: User, resident: User
) -> None:
    """Everyone withdrew: nobody to tell, so no reason is needed; the empty contract is closed too."""
    from gis_service.contracts.services.signup import manager_withdraw

    contract = sign_up(offering.location, resident)
    manager_withdraw(signup=contract.signups.get(), by=resident)
    offering_stop(offering=offering, by=regisseur_a)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.REJECTED


@pytest.mark.django_db(transaction=True)
def test_stopping_rejects_the_waiting_contract_and_mails_the_reason(
    owner_a: Owner,
    regisseur_a: User,
    resident: User,
    resident_two: User,
    smtp_server: SmtpServer,
    celery_worker: str,
) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a)
    contract = sign_up(location, resident)
    sign_up(location, resident_two)
    smtp_server.clear()
    offering_stop(offering=location.offering, by=regisseur_a, reason="Hier komt een fietspad.")
    contract.refresh_from_db()
    assert (contract.status, contract.rejection_reason) == (Contract.Status.REJECTED, "Hier komt een fietspad.")
    mails = smtp_server.wait_for(2)  # a message each: neither manager sees the other's address
    assert sorted(mail["To"] for mail in mails) == ["resident_one@example.org", "resident_two@example.org"]
    assert all("Hier komt een fietspad." in mail.get_content() for mail in mails)


@pytest.mark.django_db
def test_stopping_leaves_a_running_contract_running(owner_a: Owner, regisseur_a: User, resident: User) -> None:
    contract = active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=142000, y=466000)
    offering_stop(offering=contract.location.offering, by=regisseur_a)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE


@pytest.mark.django_db
def test_stopping_twice_keeps_the_first_moment(offering: Offering, regisseur_a: User) -> None:
    first = offering_stop(offering=offering, by=regisseur_a).stopped_at
    assert offering_stop(offering=offering, by=regisseur_a).stopped_at == first


@pytest.mark.django_db
def test_a_stopped_location_is_offered_again_and_takes_sign_ups(
    offering: Offering, regisseur_a: User, resident: User
) -> None:
    offering_stop(offering=offering, by=regisseur_a)
    offering_resume(offering=offering, by=regisseur_a)
    offering.refresh_from_db()
    assert offering.stopped_at is None
    manager_sign_up(
        location=offering.location,
        user=resident,
        terms_version=offering.current_terms(),
        plan="Bollen planten",
        accept_terms=True,
    )


@pytest.mark.django_db
def test_offering_again_after_the_period_asks_for_a_new_period(offering: Offering, regisseur_a: User) -> None:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    offering_update(offering=offering, by=regisseur_a, **changes(offered_from=None, offered_until=yesterday))
    offering_stop(offering=offering, by=regisseur_a)
    with pytest.raises(ValidationError) as refused:
        offering_resume(offering=offering, by=regisseur_a)
    assert list(refused.value.message_dict) == ["offered_until"]
