"""Residents signing up as managers, withdrawing, and accepting changed terms."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gis_service.accounts.selectors import regisseurs
from gis_service.contracts.models import (
    Contract,
    ManagerSignup,
    Offering,
    TermsAcceptance,
    TermsVersion,
)
from gis_service.contracts.selectors import (
    current_signups,
    decision_url,
)
from gis_service.contracts.services.rules import person_with_contact, refuse_own_ground, required_text
from gis_service.core.mail import by_language, send_after_commit
from gis_service.locations.models import Location
from gis_service.locations.selectors import OPEN_FOR_SIGNUPS, status_today


@transaction.atomic
def manager_sign_up(
    *, location: Location, user: Any, terms_version: TermsVersion, plan: str, accept_terms: bool
) -> ManagerSignup:
    """Signs `user` up as manager of the location's open contract, accepting the current terms."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in om je aan te melden."))
    refuse_own_ground(user, location.owner_id)
    if accept_terms is not True:
        raise ValidationError({"accept_terms": _("Ga uitdrukkelijk akkoord met de voorwaarden om je aan te melden.")})
    plan = required_text(plan, "plan", _("Vertel wat je op deze plek wilt doen."))
    # Lock the offering: concurrent first sign-ups would otherwise each open a contract, and
    # concurrent sign-ups would count each other's rows inconsistently.
    offering = Offering.objects.select_for_update().filter(location=location).first()
    if offering is None:
        raise ValidationError({"location": _("Deze locatie wordt niet aangeboden voor zelfbeheer.")})
    status = status_today(location)
    if status == Location.Status.MANAGED:
        raise ValidationError(
            {"location": _("Deze locatie is al in beheer; sluit je als vrijwilliger aan bij de groep.")}
        )
    if status not in OPEN_FOR_SIGNUPS:
        raise ValidationError({"location": _why_not_offered(offering)})
    current = offering.current_terms()
    if current is None or terms_version.pk != current.pk:
        number = current.number if current else "?"
        raise ValidationError(
            {"terms_version": _("Accepteer de huidige voorwaarden (versie %(number)s).") % {"number": number}}
        )
    contract = Contract.objects.filter(location=location, status=Contract.Status.OPEN).first()
    if contract is None:
        contract = Contract.objects.create(location=location, geometry=location.geometry, terms_version=current)
    elif contract.terms_version_id != current.pk:
        contract.terms_version = current
        contract.save(update_fields=["terms_version", "updated_at"])
    if current_signups(contract).filter(user=user).exists():
        raise ValidationError({"user": _("Je bent al aangemeld als beheerder van deze locatie.")})
    signup = ManagerSignup.objects.create(contract=contract, user=user, plan=plan)
    TermsAcceptance.objects.get_or_create(
        contract=contract, user=user, terms_version=current, defaults={"content_hash": current.content_hash}
    )
    alert_if_threshold_reached(contract=contract, offering=offering)
    return signup


def _why_not_offered(offering: Offering) -> str:
    """Why the status rule (locations/sql/status.sql) says an offered location takes no sign-ups now."""
    if offering.stopped_at is not None:
        return _("Deze locatie wordt niet meer aangeboden.")
    if offering.period_on() != "within":
        return _("Deze locatie wordt nu niet aangeboden (buiten de aanbiedingsperiode).")
    if offering.location.withdrawn_at is not None:
        return _("Deze locatie staat niet meer in de gegevens van de eigenaar.")
    return _("De grond van deze locatie is nu in beheer onder een ander contract.")


def alert_if_threshold_reached(*, contract: Contract, offering: Offering) -> None:
    """E-mails the regisseurs once when the open contract has enough managers; the offering is locked."""
    signups = list(current_signups(contract))
    if len(signups) < offering.managers_needed:
        return
    # Race: two sign-ups reaching the threshold at once; only the UPDATE that flips the flag sends.
    flipped = Contract.objects.filter(pk=contract.pk, threshold_reached_at__isnull=True).update(
        threshold_reached_at=timezone.now()
    )
    if not flipped:
        return
    count = len(signups)
    for language, addresses in by_language(regisseurs(owner_id=contract.location.owner_id)):
        with translation.override(language):
            lines = [
                _("- %(person)s\n  Plan: %(plan)s") % {"person": person_with_contact(signup.user), "plan": signup.plan}
                for signup in signups
            ]
            send_after_commit(
                to=addresses,
                subject=ngettext(
                    "Drempel bereikt: %(count)d beheerder voor %(location)s",
                    "Drempel bereikt: %(count)d beheerders voor %(location)s",
                    count,
                )
                % {"count": count, "location": contract.location},
                body=ngettext(
                    "Voor %(location)s heeft zich %(count)d beheerder aangemeld (nodig: %(needed)d). "
                    "Die ging akkoord met voorwaarden versie %(version)d.",
                    "Voor %(location)s hebben zich %(count)d beheerders aangemeld (nodig: %(needed)d). "
                    "Zij gingen akkoord met voorwaarden versie %(version)d.",
                    count,
                )
                % {
                    "location": contract.location,
                    "count": count,
                    "needed": offering.managers_needed,
                    "version": contract.terms_version.number,
                }
                + "\n\n"
                + "\n".join(lines)
                + "\n\n"
                + _("Besluit hier: %(url)s") % {"url": decision_url(contract)}
                + "\n",
            )


@transaction.atomic
def manager_withdraw(*, signup: ManagerSignup, by: Any) -> ManagerSignup:
    """A manager withdraws their sign-up; allowed until the contract starts."""
    if signup.user_id != by.pk:
        raise PermissionDenied(_("Alleen de beheerder zelf kan zich afmelden."))
    contract = Contract.objects.select_for_update().get(pk=signup.contract_id)
    if contract.has_started():
        raise ValidationError({"contract": _("Het contract is al begonnen; afmelden kan alleen vóór de start.")})
    if contract.status in (Contract.Status.REJECTED, Contract.Status.ENDED):
        raise ValidationError({"contract": _("Dit contract loopt niet meer.")})
    signup = ManagerSignup.objects.select_for_update().get(pk=signup.pk)
    if signup.withdrawn_at is None:
        signup.withdrawn_at = timezone.now()
        signup.save(update_fields=["withdrawn_at"])
    return signup


@transaction.atomic
def contract_terms_accept(
    *, contract: Contract, user: Any, terms_version: TermsVersion, accept_terms: bool
) -> TermsAcceptance:
    """A manager accepts the contract's current terms version (after the terms changed)."""
    if not current_signups(contract).filter(user_id=user.pk).exists():
        raise PermissionDenied(_("Alleen beheerders van dit contract accepteren de voorwaarden."))
    if accept_terms is not True:
        raise ValidationError({"accept_terms": _("Ga uitdrukkelijk akkoord met de voorwaarden.")})
    if terms_version.pk != contract.terms_version_id:
        raise ValidationError(
            {
                "terms_version": _("Accepteer de huidige versie (%(number)s).")
                % {"number": contract.terms_version.number}
            }
        )
    acceptance, _created = TermsAcceptance.objects.get_or_create(
        contract=contract, user=user, terms_version=terms_version, defaults={"content_hash": terms_version.content_hash}
    )
    return acceptance


@transaction.atomic
def manager_signups_withdraw_all(*, user: Any) -> int:
    """Withdraws every current sign-up of `user`, whose account is being deleted: also of a contract
    that has started, as nobody can act for that account any more. Their acceptances stay, as
    proof. How many were withdrawn."""
    # Lock the contracts first, as manager_withdraw does: a regisseur approving at this moment
    # reads the managers and must see them before or after, not halfway.
    contract_ids = list(
        Contract.objects.select_for_update(of=("self",))
        .filter(signups__user_id=user.pk, signups__withdrawn_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return ManagerSignup.objects.filter(
        contract_id__in=contract_ids, user_id=user.pk, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())
