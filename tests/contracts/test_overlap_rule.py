"""The overlap rule is PostgreSQL's: no two active contracts on the same ground at the same time."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from gis_service.contracts.models import Contract, OverlapRule
from gis_service.contracts.services.decisions import contract_approve
from tests.conftest import rd_square
from tests.contracts.factories import active_contract, offered_location, sign_up


def _open_contract(owner, regisseur, manager, x, y, size=20):
    location = offered_location(owner=owner, regisseur=regisseur, x=x, y=y, size=size, managers_needed=1)
    return sign_up(location, manager)


@pytest.mark.django_db
def test_the_database_refuses_a_second_active_contract_on_shared_ground(owner_a, regisseur_a, resident) -> None:
    first = _open_contract(owner_a, regisseur_a, resident, x=0, y=0)
    second = _open_contract(owner_a, regisseur_a, resident, x=10, y=10)
    first = contract_approve(contract=first, by=regisseur_a)
    # Straight SQL, as a bulk script would: no Python check runs.
    with pytest.raises(IntegrityError, match="shares 100.0 m"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE contracts_contract SET status = 'active', starts_on = %s WHERE id = %s",
            [dt.date.today(), second.pk],
        )
    second.refresh_from_db()
    assert second.status == Contract.Status.OPEN
    assert first.status == Contract.Status.ACTIVE


@pytest.mark.django_db
def test_approval_explains_which_contract_holds_the_ground(owner_a, regisseur_a, resident) -> None:
    first = _open_contract(owner_a, regisseur_a, resident, x=0, y=0)
    second = _open_contract(owner_a, regisseur_a, resident, x=5, y=0)
    contract_approve(contract=first, by=regisseur_a)
    with pytest.raises(ValidationError) as error:
        contract_approve(contract=second, by=regisseur_a)
    assert f"contract {first.pk}" in str(error.value) and "300" in str(error.value)


@pytest.mark.django_db
def test_no_one_signs_up_where_another_contract_holds_the_ground_today(owner_a, regisseur_a, resident) -> None:
    active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=0, y=0)
    beside = offered_location(owner=owner_a, regisseur=regisseur_a, x=10, y=10, managers_needed=1)
    assert beside.__class__.objects.get(pk=beside.pk).status == "niet_beschikbaar"
    with pytest.raises(ValidationError, match="ander contract"):
        sign_up(beside, resident)


@pytest.mark.django_db
def test_slivers_below_the_tolerance_do_not_count(owner_a, regisseur_a, resident) -> None:
    active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=0, y=0)
    # 20 m × 0.04 m = 0.8 m² of shared ground: digitising noise, below the 1 m² default.
    sliver = active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=19.96, y=0)
    assert sliver.status == Contract.Status.ACTIVE
    OverlapRule.objects.filter(pk=1).update(tolerance_m2=0.5)
    with pytest.raises(ValidationError):
        active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=-19.96, y=0)


@pytest.mark.django_db
def test_the_same_ground_may_be_managed_in_periods_that_do_not_overlap(owner_a, regisseur_a, resident) -> None:
    day = dt.date(2027, 1, 1)
    active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=0, y=0,
                    starts_on=day, ends_on=dt.date(2027, 7, 1))  # fmt: skip
    later = active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=0, y=0,
                            starts_on=dt.date(2027, 7, 1), ends_on=dt.date(2028, 1, 1))  # fmt: skip
    assert later.status == Contract.Status.ACTIVE
    with pytest.raises(ValidationError):
        active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=0, y=0,
                        starts_on=dt.date(2027, 6, 1), ends_on=dt.date(2027, 8, 1))  # fmt: skip


@pytest.mark.django_db
def test_a_contract_whose_ground_changes_onto_another_is_refused(owner_a, regisseur_a, resident) -> None:
    active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=0, y=0)
    moved = active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=100, y=0)
    with pytest.raises(IntegrityError, match="contract"), transaction.atomic():
        Contract.objects.filter(pk=moved.pk).update(geometry=rd_square(5, 5, 20))


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_approvals_of_overlapping_contracts_leave_exactly_one_active(
    owner_a, regisseur_a, resident, celery_worker, smtp_server
) -> None:
    # Twenty locations, each overlapping its neighbours and all sharing the centre (5..15, 5..15).
    contracts = [_open_contract(owner_a, regisseur_a, resident, x=i * 0.25, y=i * 0.25) for i in range(20)]
    barrier = threading.Barrier(len(contracts))
    outcomes: list[str] = []
    lock = threading.Lock()

    def approve(contract: Contract) -> None:
        try:
            barrier.wait()
            contract_approve(contract=contract, by=regisseur_a)
            outcome = "approved"
        except ValidationError:
            outcome = "refused"
        except Exception as exc:  # noqa: BLE001 - reported below
            outcome = f"error {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=approve, args=(contract,)) for contract in contracts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["approved"] + ["refused"] * 19
    assert Contract.objects.filter(status=Contract.Status.ACTIVE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_approval_the_trigger_refuses_reads_as_a_message_naming_the_other_location(
    owner_a, regisseur_a, resident, celery_worker, smtp_server
) -> None:
    """The race: the Python check passes because the first approval has not committed; the trigger,
    waiting for its lock, then sees it and refuses. The regisseur reads which location holds the
    ground and how much, never the trigger's text ("DETAIL: conflicting_contract=…")."""
    first = _open_contract(owner_a, regisseur_a, resident, x=0, y=0)
    second = _open_contract(owner_a, regisseur_a, resident, x=10, y=0)
    first_approved, release = threading.Event(), threading.Event()
    outcome: list[object] = []

    def approve_first_and_hold() -> None:
        try:
            with transaction.atomic():
                contract_approve(contract=first, by=regisseur_a)
                first_approved.set()
                release.wait(timeout=30)  # holds the ground's locks, uncommitted
        finally:
            connections.close_all()

    def approve_second() -> None:
        try:
            contract_approve(contract=second, by=regisseur_a)
            outcome.append("approved")
        except ValidationError as error:
            outcome.append(error)
        finally:
            connections.close_all()

    holder = threading.Thread(target=approve_first_and_hold)
    holder.start()
    assert first_approved.wait(timeout=30)
    racer = threading.Thread(target=approve_second)
    racer.start()
    # The second approval's trigger now waits for the first's advisory lock.
    with connection.cursor() as cursor:
        for _ in range(200):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.05)
    release.set()
    holder.join(timeout=30)
    racer.join(timeout=30)

    (error,) = outcome
    assert isinstance(error, ValidationError)
    message = " ".join(error.messages)
    assert message.startswith("De grond is zojuist aan een ander contract gegeven.")  # the trigger's refusal
    assert f"lopend contract {first.pk} ({first.location.name})" in message
    assert "200 m²" in message  # 10 x 20 m shared
    assert "DETAIL" not in message and "conflicting_contract" not in message
    second.refresh_from_db()
    assert second.status == Contract.Status.OPEN
