"""Offering a location and publishing new versions of its terms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gis_service.contracts.models import (
    Contract,
    Offering,
    TermsVersion,
    terms_hash,
)
from gis_service.contracts.selectors import (
    contract_managers,
    terms_acceptance_url,
)
from gis_service.contracts.services.rules import require_regisseur, required_text
from gis_service.core.mail import send_after_commit
from gis_service.locations.models import Location


@transaction.atomic
def offering_create(
    *,
    location: Location,
    by: Any,
    conditions: str,
    terms_text: str,
    managers_needed: int = 3,
    contract_months: int = 12,
    offered_from: dt.date | None = None,
    offered_until: dt.date | None = None,
    budget_eur: Decimal | None = None,
    reward: str = "",
    support: list[str] | None = None,
    support_notes: str = "",
) -> Offering:
    """Offers a location for zelfbeheer with its conditions and the first version of its terms."""
    require_regisseur(by, location.owner_id)
    if Offering.objects.filter(location=location).exists():
        raise ValidationError({"location": "Deze locatie wordt al aangeboden."})
    unknown = set(support or []) - set(Offering.Support.values)
    if unknown:
        raise ValidationError({"support": f"Onbekende ondersteuning: {', '.join(sorted(unknown))}."})
    offering = Offering(
        location=location,
        conditions=required_text(conditions, "conditions", "Vul de randvoorwaarden in."),
        managers_needed=managers_needed,
        contract_months=contract_months,
        offered_from=offered_from,
        offered_until=offered_until,
        budget_eur=budget_eur,
        reward=reward,
        support=sorted(support or []),
        support_notes=support_notes,
        contact_person=by,
    )
    offering.full_clean()
    offering.save()
    TermsVersion.objects.create(
        offering=offering,
        number=1,
        text=required_text(terms_text, "terms_text", "Vul de voorwaarden in."),
        created_by=by,
    )
    return offering


@transaction.atomic
def terms_publish(*, offering: Offering, text: str, by: Any) -> TermsVersion:
    """Publishes a new terms version; managers of the location's open or active contract must accept it."""
    require_regisseur(by, offering.location.owner_id)
    text = required_text(text, "text", "Vul de voorwaarden in.")
    # Lock the offering: two regisseurs publishing at once would otherwise pick the same number.
    offering = Offering.objects.select_for_update().select_related("location").get(pk=offering.pk)
    current = offering.current_terms()
    if current is not None and current.content_hash == terms_hash(text):
        return current
    version = TermsVersion.objects.create(
        offering=offering, number=(current.number + 1) if current else 1, text=text, created_by=by
    )
    for contract in Contract.objects.filter(
        location=offering.location, status__in=[Contract.Status.OPEN, Contract.Status.ACTIVE]
    ):
        contract.terms_version = version
        contract.save(update_fields=["terms_version", "updated_at"])
        send_after_commit(
            to=[user.email for user in contract_managers(contract)],
            subject=f"Nieuwe voorwaarden voor {offering.location}: graag opnieuw akkoord",
            body=(
                f"De voorwaarden van het zelfbeheercontract voor {offering.location} zijn gewijzigd "
                f"(versie {version.number}, hash {version.content_hash}).\n\n{version.text}\n\n"
                f"Lees en accepteer de nieuwe versie: {terms_acceptance_url(contract)}\n"
            ),
        )
    return version
