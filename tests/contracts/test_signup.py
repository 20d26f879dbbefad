"""Signing up as manager: explicit acceptance with proof, a plan, withdrawal, one threshold e-mail."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, ManagerSignup, TermsAcceptance
from gis_service.contracts.services.decisions import contract_approve
from gis_service.contracts.services.offering import terms_publish
from gis_service.contracts.services.signup import manager_sign_up, manager_withdraw
from gis_service.locations.models import Location
from tests.contracts.factories import offered_location, sign_up


@pytest.mark.django_db
def test_a_sign_up_records_who_accepted_which_version_when(owner_a, regisseur_a, resident) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a)
    contract = sign_up(location, resident, plan="Een pluktuin")
    acceptance = TermsAcceptance.objects.get(contract=contract, user=resident)
    version = location.offering.current_terms()
    assert acceptance.terms_version == version and acceptance.content_hash == version.content_hash
    assert acceptance.accepted_at is not None
    assert ManagerSignup.objects.get(contract=contract).plan == "Een pluktuin"
    assert contract.status == Contract.Status.OPEN


@pytest.mark.django_db
def test_it_refuses_a_sign_up_without_explicit_acceptance_or_plan(owner_a, regisseur_a, resident) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a)
    version = location.offering.current_terms()
    with pytest.raises(ValidationError, match="akkoord"):
        manager_sign_up(location=location, user=resident, terms_version=version, plan="x", accept_terms=False)
    with pytest.raises(ValidationError, match="plek"):
        manager_sign_up(location=location, user=resident, terms_version=version, plan="  ", accept_terms=True)
    assert not ManagerSignup.objects.exists()


@pytest.mark.django_db
def test_it_refuses_acceptance_of_an_outdated_version(owner_a, regisseur_a, resident) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a)
    old = location.offering.current_terms()
    terms_publish(offering=location.offering, text="Versie 2", by=regisseur_a)
    with pytest.raises(ValidationError, match="versie 2"):
        manager_sign_up(location=location, user=resident, terms_version=old, plan="x", accept_terms=True)


@pytest.mark.django_db
def test_it_refuses_signing_up_twice_or_outside_the_offered_period(owner_a, regisseur_a, resident) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a)
    sign_up(location, resident)
    with pytest.raises(ValidationError, match="al aangemeld"):
        sign_up(location, resident)
    later = offered_location(owner=owner_a, regisseur=regisseur_a, x=500)
    later.offering.offered_from = dt.date.today() + dt.timedelta(days=10)
    later.offering.save()
    with pytest.raises(ValidationError, match="aanbiedingsperiode"):
        sign_up(later, resident)


@pytest.mark.django_db
def test_a_manager_can_withdraw_before_the_start_but_not_after(owner_a, regisseur_a, resident, resident_two) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a, managers_needed=1)
    contract = sign_up(location, resident)
    signup = ManagerSignup.objects.get(contract=contract, user=resident)
    with pytest.raises(PermissionDenied):
        manager_withdraw(signup=signup, by=resident_two)
    assert manager_withdraw(signup=signup, by=resident).withdrawn_at is not None

    sign_up(location, resident_two)
    contract_approve(contract=contract, by=regisseur_a)
    with pytest.raises(ValidationError, match="begonnen"):
        manager_withdraw(signup=ManagerSignup.objects.get(contract=contract, user=resident_two), by=resident_two)


@pytest.mark.django_db(transaction=True)
def test_reaching_the_threshold_e_mails_the_regisseur_once_with_contacts_and_plans(
    owner_a, regisseur_a, resident, resident_two, outsider, celery_worker, smtp_server
) -> None:
    smtp_server.clear()
    location = offered_location(owner=owner_a, regisseur=regisseur_a, managers_needed=2)
    sign_up(location, resident, plan="Bloemen voor de bijen")
    contract = sign_up(location, resident_two, plan="Een bankje en een moestuin")
    sign_up(location, outsider, plan="Ook meedoen")  # past the threshold: no second e-mail
    (message,) = smtp_server.wait_for(1)
    body = message.get_content()
    assert message["To"] == "regisseur_a@example.org"
    assert "Drempel bereikt" in message["Subject"]
    for text in ("Riet Eerste", "resident_one@example.org", "0612345678", "Bloemen voor de bijen",
                 "Ruud Tweede", "Een bankje en een moestuin", f"/regisseur/#contract-{contract.pk}"):  # fmt: skip
        assert text in body
    assert Location.objects.get(pk=location.pk).status == Location.Status.REQUESTED
    with transaction.atomic():  # a control message shows nothing else was queued before it
        from gis_service.core.mail import send_after_commit

        send_after_commit(to=["control@example.org"], subject="Controle", body=".")
    messages = smtp_server.wait_for(2)
    assert [m["Subject"] for m in messages][1:] == ["Controle"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_send_the_threshold_e_mail_twice(owner_a, regisseur_a, celery_worker, smtp_server):
    smtp_server.clear()
    location = offered_location(owner=owner_a, regisseur=regisseur_a, managers_needed=3)
    users = [User.objects.create_user(username=f"buur{i}", email=f"buur{i}@example.org") for i in range(10)]
    barrier = threading.Barrier(len(users))
    errors: list[Exception] = []

    def join(user: User) -> None:
        try:
            barrier.wait()
            sign_up(location, user, plan=f"plan van {user.username}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=join, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Contract.objects.get(location=location).signups.count() == 10  # one open contract for all
    smtp_server.wait_for(1)
    with transaction.atomic():
        from gis_service.core.mail import send_after_commit

        send_after_commit(to=["control@example.org"], subject="Controle", body=".")
    messages = smtp_server.wait_for(2)
    assert [m["Subject"].startswith("Drempel") for m in messages] == [True, False]


@pytest.mark.django_db
def test_a_regisseur_cannot_sign_up_on_their_own_owners_ground_but_may_elsewhere(
    owner_a, owner_b, regisseur_a, regisseur_b
) -> None:
    # They decide on the sign-ups for owner A's ground: signing up there is deciding on their own.
    own = offered_location(owner=owner_a, regisseur=regisseur_a)
    with pytest.raises(PermissionDenied, match="regisseur van deze eigenaar"):
        sign_up(own, regisseur_a)
    assert not ManagerSignup.objects.exists()
    # Where they live, on another owner's ground, they are a resident like any other.
    elsewhere = offered_location(owner=owner_b, regisseur=regisseur_b, x=500)
    assert sign_up(elsewhere, regisseur_a).location == elsewhere
