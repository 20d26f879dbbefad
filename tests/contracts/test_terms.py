"""Terms versions are immutable and hashed in the database; acceptances are append-only proof."""

import hashlib

import pytest
from django.db import IntegrityError, connection, transaction

from gis_service.contracts.models import Offering, TermsAcceptance, TermsVersion
from gis_service.contracts.services.decisions import contract_approve
from gis_service.contracts.services.offering import terms_publish
from gis_service.contracts.services.signup import contract_terms_accept
from tests.contracts.factories import offered_location, sign_up


@pytest.mark.django_db
def test_the_database_computes_the_hash_of_the_text(owner_a, regisseur_a) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a)
    with connection.cursor() as cursor:
        cursor.execute("SELECT content_hash, text FROM contracts_termsversion WHERE offering_id = %s",
                       [location.offering.pk])  # fmt: skip
        content_hash, text = cursor.fetchone()
    assert content_hash == hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.django_db
def test_it_refuses_to_change_the_text_of_a_terms_version(owner_a, regisseur_a) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a)
    version = location.offering.current_terms()
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE contracts_termsversion SET text = 'stiekem anders' WHERE id = %s", [version.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        TermsVersion.objects.filter(pk=version.pk).update(content_hash="0" * 64)


@pytest.mark.django_db
def test_a_new_version_leaves_the_old_one_as_it_was(owner_a, regisseur_a) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a)
    old = location.offering.current_terms()
    new = terms_publish(offering=location.offering, text="Versie 2: ook zwerfvuil ruimen.", by=regisseur_a)
    old.refresh_from_db()
    assert (old.number, new.number) == (1, 2)
    assert old.text.startswith("Versie 1") and old.content_hash != new.content_hash
    # Publishing the same text again makes no new version.
    assert terms_publish(offering=location.offering, text=new.text, by=regisseur_a) == new


@pytest.mark.django_db
def test_an_acceptance_cannot_be_rewritten(owner_a, regisseur_a, resident) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a)
    contract = sign_up(location, resident)
    acceptance = TermsAcceptance.objects.get(contract=contract, user=resident)
    with pytest.raises(IntegrityError, match="proof"), transaction.atomic():
        TermsAcceptance.objects.filter(pk=acceptance.pk).update(accepted_at=acceptance.accepted_at.replace(year=2020))


@pytest.mark.django_db
def test_managers_of_an_active_contract_must_accept_changed_terms(owner_a, regisseur_a, resident, resident_two) -> None:
    from gis_service.contracts.selectors import contract_terms_status

    location = offered_location(owner=owner_a, regisseur=regisseur_a, managers_needed=2)
    sign_up(location, resident)
    contract = contract_approve(contract=sign_up(location, resident_two), by=regisseur_a)
    assert all(row.has_accepted_current for row in contract_terms_status(contract))

    new = terms_publish(offering=Offering.objects.get(location=location), text="Versie 2", by=regisseur_a)
    contract.refresh_from_db()
    assert contract.terms_version == new
    assert [row.has_accepted_current for row in contract_terms_status(contract)] == [False, False]

    contract_terms_accept(contract=contract, user=resident, terms_version=new, accept_terms=True)
    status = {row.user.username: (row.has_accepted_current, row.accepted_version.number)
              for row in contract_terms_status(contract)}  # fmt: skip
    assert status == {"resident_one": (True, 2), "resident_two": (False, 1)}
