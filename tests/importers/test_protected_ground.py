"""Ground under contracts and open initiatives survives a re-sync: kept, flagged, regisseurs told.

Through the production wiring only: the contracts and initiatives apps register their
protectors when Django starts; the e-mail goes through the real worker to the real SMTP server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from shapely.geometry import MultiPolygon, box

from gis_service.accounts.models import Membership, User
from gis_service.contracts.models import Contract
from gis_service.contracts.services.decisions import contract_approve
from gis_service.contracts.services.offering import offering_create
from gis_service.contracts.services.signup import manager_sign_up
from gis_service.initiatives.services import initiative_submit
from gis_service.locations.models import Location
from gis_service.locations.protection import registered_protectors
from gis_service.owners.models import Owner

from .conftest import resync, squares, sync, write_layer


def _rows(count: int = 5) -> list[dict[str, object]]:
    return [
        {"guid": f"g{i + 1}", "naam": f"Veld {i + 1}", "geometry": MultiPolygon([poly])}
        for i, poly in enumerate(squares(count))
    ]


def _under_contract(location: Location, *, regisseur: Any, manager: Any) -> Contract:
    offering = offering_create(
        location=location, by=regisseur, conditions="Geen gif.", terms_text="Versie 1.", managers_needed=1
    )
    signup = manager_sign_up(
        location=location, user=manager, terms_version=offering.current_terms(), plan="Bloemen", accept_terms=True
    )
    return contract_approve(contract=signup.contract, by=regisseur)


def test_the_apps_register_their_protectors_at_start_up() -> None:
    assert registered_protectors() == ["contracts", "initiatives"]


@pytest.mark.django_db(transaction=True)
def test_a_resync_that_moves_and_removes_ground_under_contracts_flags_both_and_tells_the_regisseur(
    owner_a: Owner, regisseur_a: Any, resident: Any, resident_two: Any, tmp_path: Path, celery_worker: str,
    smtp_server: Any,
) -> None:  # fmt: skip
    path = write_layer(tmp_path / "groen.gpkg", _rows())
    run = sync(owner_a, path, id_field="guid", name_field="naam")
    by_id = {loc.external_id: loc for loc in Location.objects.filter(source=run.source)}
    with transaction.atomic():
        moved = _under_contract(by_id["g1"], regisseur=regisseur_a, manager=resident)
        removed = _under_contract(by_id["g5"], regisseur=regisseur_a, manager=resident_two)
    smtp_server.wait_for(4)  # two thresholds reached, two approvals
    smtp_server.clear()

    rows = _rows()[:4]
    rows[0]["geometry"] = MultiPolygon([box(140000, 470000, 140030, 470030)])
    path.unlink()
    write_layer(path, rows)
    with translation.override("en"):  # started by a GIS admin who reads English; the regisseur reads Dutch
        again = resync(run.source)

    assert again.status == again.Status.SUCCEEDED, again.message
    assert (again.updated, again.withdrawn) == (1, 1)
    g1, g5 = Location.objects.get(pk=by_id["g1"].pk), Location.objects.get(pk=by_id["g5"].pk)
    # The run says so to the GIS admin, in their language: its counts alone read "withdrawn: 1".
    assert again.message == (
        f"The ground changed under 2 locations with a contract or open initiative (id {g1.pk}, {g5.pk}): they "
        "keep the ground that was signed for, and the owner's directors have been e-mailed."
        # Each named as the GIS admin knows it, with what happened: the ids alone told them nothing.
        f"\n- {g1} (id {g1.pk}, external id g1): has a different geometry"
        f"\n- {g5} (id {g5.pk}, external id g5): is no longer in the source"
    )
    assert g1.ground_changed_at is not None and g1.withdrawn_at is None
    assert g5.ground_changed_at is not None and g5.withdrawn_at is not None  # kept, not deleted
    others = Location.objects.filter(source=run.source).exclude(pk__in=[g1.pk, g5.pk])
    assert list(others.exclude(ground_changed_at=None)) == []
    # The contracts keep the ground they were signed for, and stay active.
    for contract, location in ((moved, by_id["g1"]), (removed, by_id["g5"])):
        contract.refresh_from_db()
        assert contract.status == Contract.Status.ACTIVE
        assert contract.geometry.equals(location.geometry)
    assert g1.status == g5.status == Location.Status.MANAGED

    mails = [m for m in smtp_server.wait_for(1) if m["Subject"].startswith("Grond veranderd")]
    (mail,) = mails or [m for m in smtp_server.wait_for(2) if m["Subject"].startswith("Grond veranderd")]
    assert mail["To"] == "regisseur_a@example.org"
    body = mail.get_content()
    assert "Door het synchroniseren van de bron 'test' is de grond veranderd" in body  # the regisseur's language
    assert f"id {g1.pk}, extern id g1" in body and "andere geometrie" in body
    assert f"id {g5.pk}, extern id g5" in body and "niet meer in de bron" in body
    assert mail["Subject"] == "Grond veranderd onder 2 locaties"  # a plural, not "locatie(s)"


@pytest.mark.django_db
def test_a_location_a_waiting_initiative_asks_for_is_flagged_when_it_leaves_the_source(
    owner_a: Owner, resident: Any, tmp_path: Path
) -> None:
    path = write_layer(tmp_path / "groen.gpkg", _rows())
    run = sync(owner_a, path, id_field="guid", name_field="naam")
    asked = Location.objects.get(source=run.source, external_id="g2")
    initiative_submit(user=resident, description="Een moestuin", location_ids=[asked.pk])
    assert Location.objects.get(pk=asked.pk).status == Location.Status.REQUESTED

    path.unlink()
    write_layer(path, [row for row in _rows() if row["guid"] != "g2"])
    resync(run.source)

    asked.refresh_from_db()
    assert asked.withdrawn_at is not None and asked.ground_changed_at is not None
    unasked = Location.objects.filter(source=run.source).exclude(pk=asked.pk)
    assert not unasked.exclude(ground_changed_at=None).exists()


def test_the_source_page_names_the_ground_under_contract_before_a_sync(
    owner_a: Owner, regisseur_a: Any, resident: Any, tmp_path: Path
) -> None:
    """What a re-sync would keep and report, seen before it runs: the page said nothing of contracts."""
    run = sync(owner_a, write_layer(tmp_path / "groen.gpkg", _rows()), id_field="guid", name_field="naam")
    by_id = {loc.external_id: loc for loc in Location.objects.filter(source=run.source)}
    _under_contract(by_id["g2"], regisseur=regisseur_a, manager=resident)
    gis = User.objects.create_user(username="gis", password="pw-gis-gis")
    Membership.objects.create(user=gis, owner=owner_a, role=Membership.Role.GIS_ADMIN)
    client = Client()
    client.force_login(gis)
    page = client.get(reverse("admin:importers_source_change", args=[run.source.pk])).content.decode()
    assert "Locaties met een contract of open initiatief" in page
    assert "Een sync die deze locatie verwijdert of een andere vorm geeft, houdt haar grond zoals getekend" in page
    assert f'<a href="/locaties/{by_id["g2"].pk}/">{by_id["g2"]}</a> (id {by_id["g2"].pk}, extern id g2)' in page
    assert "extern id g1" not in page and "extern id g3" not in page
    # A new source has nothing to show yet.
    assert "Locaties met een contract" not in client.get(reverse("admin:importers_source_add")).content.decode()


def test_a_failed_runs_page_says_nothing_changed(owner_a: Owner, tmp_path: Path, admin_client: Client) -> None:
    run = sync(owner_a, tmp_path / "er-niet.gpkg")
    assert run.status == run.Status.FAILED
    page = admin_client.get(reverse("admin:importers_importrun_change", args=[run.pk])).content.decode()
    assert "Niets veranderd: de run is in zijn geheel teruggedraaid" in page
