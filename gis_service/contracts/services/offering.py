"""Offering a location, changing or stopping the offer, and publishing new versions of its terms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gis_service.contracts.models import (
    Contract,
    Offering,
    TermsVersion,
    terms_hash,
)
from gis_service.contracts.selectors import (
    contract_managers,
    current_signups,
    terms_acceptance_url,
)
from gis_service.contracts.services.decisions import contract_reject
from gis_service.contracts.services.rules import optional_text, require_regisseur, required_text
from gis_service.contracts.services.signup import alert_if_threshold_reached
from gis_service.core import limits
from gis_service.core.mail import by_language, send_after_commit
from gis_service.locations.models import Location

# The database's rules on an offering (Offering.Meta.constraints), by name, with the field and the
# words the regisseur reads: PostgreSQL decides, we only say it in a sentence beside the field.
CONSTRAINT_MESSAGES: dict[str, tuple[str, str | Promise]] = {
    "offering_period_ordered": (
        "offered_until",
        gettext_lazy("Het einde van de aanbiedingsperiode ligt vóór het begin."),
    ),
    "offering_managers_needed_positive": ("managers_needed", gettext_lazy("Er is minstens één beheerder nodig.")),
    "offering_contract_months_positive": ("contract_months", gettext_lazy("Een contract loopt minstens één maand.")),
    # Two regisseurs offering the same location at once: the second insert waits, then meets this.
    "contracts_offering_location_id_key": ("location", gettext_lazy("Deze locatie wordt al aangeboden.")),
}


def _check_content(*, conditions: str, support: list[str], budget_eur: Decimal | None) -> tuple[str, list[str]]:
    """The rules the database does not hold: conditions given, known support, no negative budget."""
    unknown = set(support) - set(Offering.Support.values)
    if unknown:
        raise ValidationError({"support": _("Onbekende ondersteuning: %s.") % ", ".join(sorted(unknown))})
    if budget_eur is not None and budget_eur < 0:
        raise ValidationError({"budget_eur": _("Een budget kan niet negatief zijn.")})
    conditions = required_text(conditions, "conditions", _("Vul de randvoorwaarden in."), max_length=limits.TERMS)
    return conditions, sorted(set(support))


def _save(offering: Offering, **kwargs: Any) -> None:
    """Saves `offering`; a refusal by one of its database rules becomes a message on its field."""
    # Constraints are left to PostgreSQL (full_clean would name them in its message).
    offering.full_clean(exclude=["location"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            offering.save(**kwargs)
    except IntegrityError as error:
        constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
        if constraint not in CONSTRAINT_MESSAGES:
            raise
        field, message = CONSTRAINT_MESSAGES[constraint]
        raise ValidationError({field: message}) from error


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
        raise ValidationError({"location": _("Deze locatie wordt al aangeboden.")})
    conditions, support = _check_content(conditions=conditions, support=support or [], budget_eur=budget_eur)
    terms_text = required_text(terms_text, "terms_text", _("Vul de voorwaarden in."), max_length=limits.TERMS)
    offering = Offering(
        location=location,
        conditions=conditions,
        managers_needed=managers_needed,
        contract_months=contract_months,
        offered_from=offered_from,
        offered_until=offered_until,
        budget_eur=budget_eur,
        reward=optional_text(reward, "reward", max_length=limits.REWARD),
        support=support,
        support_notes=optional_text(support_notes, "support_notes", max_length=limits.MESSAGE),
        contact_person=by,
    )
    _save(offering)
    TermsVersion.objects.create(offering=offering, number=1, text=terms_text, created_by=by)
    return offering


@transaction.atomic
def offering_update(
    *,
    offering: Offering,
    by: Any,
    conditions: str,
    managers_needed: int,
    contract_months: int,
    offered_from: dt.date | None,
    offered_until: dt.date | None,
    budget_eur: Decimal | None,
    reward: str,
    support: list[str],
    support_notes: str,
) -> Offering:
    """Changes what is offered with a location; its terms change only by `terms_publish`.

    Running contracts keep their period; the new contract length applies to contracts approved
    from now on. Lowering `managers_needed` to the sign-ups a waiting contract already has
    reaches its threshold: the regisseurs are e-mailed, as on a sign-up.
    """
    require_regisseur(by, offering.location.owner_id)
    # Lock the offering: a sign-up counting against managers_needed locks it too.
    offering = Offering.objects.select_for_update().select_related("location").get(pk=offering.pk)
    conditions, support = _check_content(conditions=conditions, support=support, budget_eur=budget_eur)
    offering.conditions = conditions
    offering.managers_needed, offering.contract_months = managers_needed, contract_months
    offering.offered_from, offering.offered_until = offered_from, offered_until
    offering.budget_eur = budget_eur
    offering.reward = optional_text(reward, "reward", max_length=limits.REWARD)
    offering.support = support
    offering.support_notes = optional_text(support_notes, "support_notes", max_length=limits.MESSAGE)
    _save(offering)
    waiting = Contract.objects.filter(location=offering.location, status=Contract.Status.OPEN).first()
    if waiting is not None:
        alert_if_threshold_reached(contract=waiting, offering=offering)
    return offering


@transaction.atomic
def offering_stop(*, offering: Offering, by: Any, reason: str = "") -> Offering:
    """Stops offering the location: no new sign-ups; running contracts go on.

    A contract still waiting for a decision is rejected (contract_reject), so its managers hear
    it by e-mail with `reason`, which is then required. Stopping twice changes nothing.
    """
    require_regisseur(by, offering.location.owner_id)
    # Lock the offering: a sign-up locks it too, so none slips in between our look at the
    # waiting contract and the stop (it then sees stopped_at and is refused).
    offering = Offering.objects.select_for_update().select_related("location").get(pk=offering.pk)
    if offering.stopped_at is not None:
        return offering
    waiting = Contract.objects.filter(location=offering.location, status=Contract.Status.OPEN).first()
    if waiting is not None:
        if current_signups(waiting).exists():
            reason = required_text(
                reason, "reason", _("Geef een reden: de aangemelde beheerders krijgen die per e-mail.")
            )
        else:
            reason = optional_text(reason, "reason", max_length=limits.MESSAGE) or _(
                "De regisseur is gestopt met het aanbieden van deze locatie."
            )
        contract_reject(contract=waiting, by=by, reason=reason)
    offering.stopped_at = timezone.now()
    offering.save(update_fields=["stopped_at", "updated_at"])
    return offering


@transaction.atomic
def offering_resume(*, offering: Offering, by: Any) -> Offering:
    """Offers a stopped location again, with the same conditions and terms."""
    require_regisseur(by, offering.location.owner_id)
    offering = Offering.objects.select_for_update().select_related("location").get(pk=offering.pk)
    if offering.stopped_at is None:
        return offering
    if offering.offered_until is not None and offering.offered_until < timezone.localdate():
        raise ValidationError(
            {"offered_until": _("De aanbiedingsperiode is voorbij: pas eerst de periode aan in het aanbod.")}
        )
    offering.stopped_at = None
    offering.save(update_fields=["stopped_at", "updated_at"])
    return offering


@transaction.atomic
def terms_publish(*, offering: Offering, text: str, by: Any) -> TermsVersion:
    """Publishes a new terms version; managers of the location's open or active contract must accept it."""
    require_regisseur(by, offering.location.owner_id)
    text = required_text(text, "text", _("Vul de voorwaarden in."), max_length=limits.TERMS)
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
        for language, addresses in by_language(contract_managers(contract)):
            with translation.override(language):
                send_after_commit(
                    to=addresses,
                    subject=_("Nieuwe voorwaarden voor %(location)s: graag opnieuw akkoord")
                    % {"location": offering.location},
                    body=_(
                        "De voorwaarden van het zelfbeheercontract voor %(location)s zijn gewijzigd "
                        "(versie %(version)d, hash %(hash)s).\n\n%(text)s\n\n"
                        "Lees en accepteer de nieuwe versie: %(url)s\n"
                    )
                    % {
                        "location": offering.location,
                        "version": version.number,
                        "hash": version.content_hash,
                        "text": version.text,
                        "url": terms_acceptance_url(contract),
                    },
                )
    return version
