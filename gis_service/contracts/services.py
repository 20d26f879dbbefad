"""Writes of the contract workflow: offer, publish terms, sign up, decide, re-accept, remind.

Services check who may act (PermissionDenied) and what is allowed (ValidationError with
the field it concerns); the database enforces the rules that must survive concurrency.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gis_service.accounts.models import User
from gis_service.contracts.models import (
    Contract,
    ManagerSignup,
    Offering,
    TermsAcceptance,
    TermsVersion,
    terms_hash,
)
from gis_service.contracts.overlap import ALLOWED_CRS, CRS84, DrawnArea, overlap_params, run_overlap_sql
from gis_service.contracts.selectors import (
    contract_managers,
    contracts_ending,
    current_signups,
    decision_url,
    regisseur_emails,
    terms_acceptance_url,
)
from gis_service.contracts.signals import contract_activated
from gis_service.core.mail import send_after_commit
from gis_service.locations.models import Location


def require_regisseur(user: Any, owner_id: int) -> None:
    """Only the owner's regisseurs (and superusers, for support) decide for an owner."""
    if not (user.is_authenticated and (user.is_superuser or user.is_regisseur_of(owner_id))):
        raise PermissionDenied("Alleen een regisseur van deze eigenaar mag dit.")


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def required_text(value: str, field: str, message: str) -> str:
    """`value` stripped; a ValidationError on `field` with `message` when nothing is left."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _person(user: User) -> str:
    name = user.get_full_name() or user.username
    contact = ", ".join(part for part in (user.email, user.phone) if part)
    return f"{name} ({contact})" if contact else name


# --- offering and terms -------------------------------------------------------------------------


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


# --- signing up ---------------------------------------------------------------------------------


@transaction.atomic
def manager_sign_up(
    *, location: Location, user: Any, terms_version: TermsVersion, plan: str, accept_terms: bool
) -> ManagerSignup:
    """Signs `user` up as manager of the location's open contract, accepting the current terms."""
    if not user.is_authenticated:
        raise PermissionDenied("Log in om je aan te melden.")
    if accept_terms is not True:
        raise ValidationError({"accept_terms": "Ga uitdrukkelijk akkoord met de voorwaarden om je aan te melden."})
    plan = required_text(plan, "plan", "Vertel wat je op deze plek wilt doen.")
    # Lock the offering: concurrent first sign-ups would otherwise each open a contract, and
    # concurrent sign-ups would count each other's rows inconsistently.
    offering = Offering.objects.select_for_update().filter(location=location).first()
    if offering is None:
        raise ValidationError({"location": "Deze locatie wordt niet aangeboden voor zelfbeheer."})
    today = timezone.localdate()
    if (offering.offered_from and today < offering.offered_from) or (
        offering.offered_until and today > offering.offered_until
    ):
        raise ValidationError({"location": "Deze locatie wordt nu niet aangeboden (buiten de aanbiedingsperiode)."})
    current = offering.current_terms()
    if current is None or terms_version.pk != current.pk:
        number = current.number if current else "?"
        raise ValidationError({"terms_version": f"Accepteer de huidige voorwaarden (versie {number})."})
    if Contract.objects.filter(location=location, status=Contract.Status.ACTIVE).exists():
        raise ValidationError({"location": "Deze locatie is al in beheer; sluit je als vrijwilliger aan bij de groep."})
    contract = Contract.objects.filter(location=location, status=Contract.Status.OPEN).first()
    if contract is None:
        contract = Contract.objects.create(location=location, geometry=location.geometry, terms_version=current)
    elif contract.terms_version_id != current.pk:
        contract.terms_version = current
        contract.save(update_fields=["terms_version", "updated_at"])
    if current_signups(contract).filter(user=user).exists():
        raise ValidationError({"user": "Je bent al aangemeld als beheerder van deze locatie."})
    signup = ManagerSignup.objects.create(contract=contract, user=user, plan=plan)
    TermsAcceptance.objects.get_or_create(
        contract=contract, user=user, terms_version=current, defaults={"content_hash": current.content_hash}
    )
    _alert_if_threshold_reached(contract=contract, offering=offering)
    return signup


def _alert_if_threshold_reached(*, contract: Contract, offering: Offering) -> None:
    signups = list(current_signups(contract))
    if len(signups) < offering.managers_needed:
        return
    # Race: two sign-ups reaching the threshold at once; only the UPDATE that flips the flag sends.
    flipped = Contract.objects.filter(pk=contract.pk, threshold_reached_at__isnull=True).update(
        threshold_reached_at=timezone.now()
    )
    if not flipped:
        return
    Location.objects.filter(pk=contract.location_id, status=Location.Status.AVAILABLE).update(
        status=Location.Status.REQUESTED
    )
    lines = [f"- {_person(signup.user)}\n  Plan: {signup.plan}" for signup in signups]
    send_after_commit(
        to=regisseur_emails(owner_id=contract.location.owner_id),
        subject=f"Drempel bereikt: {len(signups)} beheerders voor {contract.location}",
        body=(
            f"Voor {contract.location} hebben zich {len(signups)} beheerders aangemeld "
            f"(nodig: {offering.managers_needed}). Zij gingen akkoord met voorwaarden versie "
            f"{contract.terms_version.number}.\n\n" + "\n".join(lines) + f"\n\nBesluit hier: {decision_url(contract)}\n"
        ),
    )


@transaction.atomic
def manager_withdraw(*, signup: ManagerSignup, by: Any) -> ManagerSignup:
    """A manager withdraws their sign-up; allowed until the contract starts."""
    if signup.user_id != by.pk:
        raise PermissionDenied("Alleen de beheerder zelf kan zich afmelden.")
    contract = Contract.objects.select_for_update().get(pk=signup.contract_id)
    if contract.has_started():
        raise ValidationError({"contract": "Het contract is al begonnen; afmelden kan alleen vóór de start."})
    if contract.status in (Contract.Status.REJECTED, Contract.Status.ENDED):
        raise ValidationError({"contract": "Dit contract loopt niet meer."})
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
        raise PermissionDenied("Alleen beheerders van dit contract accepteren de voorwaarden.")
    if accept_terms is not True:
        raise ValidationError({"accept_terms": "Ga uitdrukkelijk akkoord met de voorwaarden."})
    if terms_version.pk != contract.terms_version_id:
        raise ValidationError({"terms_version": f"Accepteer de huidige versie ({contract.terms_version.number})."})
    acceptance, _ = TermsAcceptance.objects.get_or_create(
        contract=contract, user=user, terms_version=terms_version, defaults={"content_hash": terms_version.content_hash}
    )
    return acceptance


# --- decisions ----------------------------------------------------------------------------------


def conflicts_for(
    *, geometry: Any, start: dt.date, end: dt.date | None, exclude_contract: int | None = None
) -> list[dict[str, Any]]:
    """Active contracts sharing more than the tolerance with `geometry` in [start, end)."""
    area = DrawnArea(geometry=geometry, crs=ALLOWED_CRS[CRS84])
    return list(
        run_overlap_sql(overlap_params(area, start=start, end=end, exclude_contract=exclude_contract))["conflicts"]
    )


def _conflict_error(conflicts: list[dict[str, Any]]) -> ValidationError:
    first = conflicts[0]
    return ValidationError(
        {
            "geometry": (
                f"De grond overlapt {first['overlap_m2']} m² met actief contract {first['contract']} "
                f"({first['location_name'] or 'locatie ' + str(first['location'])}) in dezelfde periode."
            )
        }
    )


def contract_activate(*, contract: Contract, by: Any, starts_on: dt.date, ends_on: dt.date | None) -> Contract:
    """Makes a locked, checked contract active; the database trigger has the last word on overlap."""
    conflicts = conflicts_for(geometry=contract.geometry, start=starts_on, end=ends_on, exclude_contract=contract.pk)
    if conflicts:
        raise _conflict_error(conflicts)
    contract.status = Contract.Status.ACTIVE
    contract.starts_on, contract.ends_on = starts_on, ends_on
    contract.decided_by, contract.decided_at = by, timezone.now()
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError as exc:
        # Another regisseur activated overlapping ground while we checked: the trigger refused.
        if "contract_no_shared_ground" not in str(exc) and "shares" not in str(exc):
            raise
        raise ValidationError({"geometry": f"De grond is zojuist aan een ander contract gegeven: {exc}"}) from exc
    Location.objects.filter(pk=contract.location_id).update(status=Location.Status.MANAGED)
    managers = contract_managers(contract)
    contract_activated.send(sender=Contract, contract=contract, managers=managers)
    return contract


@transaction.atomic
def contract_approve(
    *, contract: Contract, by: Any, starts_on: dt.date | None = None, ends_on: dt.date | None = None
) -> Contract:
    """The regisseur approves: the contract becomes active for its period and gets its group."""
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("location", "location__offering")
        .get(pk=contract.pk)
    )
    require_regisseur(by, contract.location.owner_id)
    if contract.status != Contract.Status.OPEN:
        raise ValidationError({"status": f"Over dit contract is al besloten ({contract.get_status_display()})."})
    managers = contract_managers(contract)
    if not managers:
        raise ValidationError({"managers": "Er zijn (nog) geen beheerders aangemeld."})
    starts_on = starts_on or timezone.localdate()
    offering = getattr(contract.location, "offering", None)
    ends_on = ends_on or add_months(starts_on, offering.contract_months if offering else 12)
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "De einddatum moet na de begindatum liggen."})
    contract_activate(contract=contract, by=by, starts_on=starts_on, ends_on=ends_on)
    send_after_commit(
        to=[user.email for user in managers],
        subject=f"Goedgekeurd: zelfbeheer van {contract.location}",
        body=(
            f"Uw zelfbeheercontract voor {contract.location} is goedgekeurd door {_person(by)}.\n"
            f"Looptijd: {starts_on:%d-%m-%Y} tot {ends_on:%d-%m-%Y}.\n"
        ),
    )
    return contract


@transaction.atomic
def contract_reject(*, contract: Contract, by: Any, reason: str) -> Contract:
    """The regisseur rejects with a reason; the managers receive it by e-mail."""
    contract = Contract.objects.select_for_update().select_related("location").get(pk=contract.pk)
    require_regisseur(by, contract.location.owner_id)
    reason = required_text(reason, "reason", "Geef een reden voor de afwijzing.")
    if contract.status != Contract.Status.OPEN:
        raise ValidationError({"status": f"Over dit contract is al besloten ({contract.get_status_display()})."})
    contract.status = Contract.Status.REJECTED
    contract.rejection_reason = reason
    contract.decided_by, contract.decided_at = by, timezone.now()
    contract.save()
    Location.objects.filter(pk=contract.location_id, status=Location.Status.REQUESTED).update(
        status=Location.Status.AVAILABLE
    )
    send_after_commit(
        to=[user.email for user in contract_managers(contract)],
        subject=f"Afgewezen: zelfbeheer van {contract.location}",
        body=f"Uw aanmelding voor {contract.location} is afgewezen.\n\nReden: {reason}\n",
    )
    return contract


# --- reminders ----------------------------------------------------------------------------------


def contracts_remind_ending(*, today: dt.date | None = None, days: int | None = None) -> int:
    """E-mails managers and regisseurs of contracts ending within `days`; ends contracts past their end."""
    today = today or timezone.localdate()
    days = days if days is not None else settings.CONTRACT_REMINDER_DAYS
    sent = 0
    for contract in contracts_ending(today=today, days=days).select_related("location"):
        with transaction.atomic():
            # Race: two beat runs at once; only the UPDATE that flips the flag sends.
            if not Contract.objects.filter(pk=contract.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=timezone.now()
            ):
                continue
            send_after_commit(
                to=[user.email for user in contract_managers(contract)]
                + regisseur_emails(owner_id=contract.location.owner_id),
                subject=f"Contract voor {contract.location} loopt af op {contract.ends_on:%d-%m-%Y}",
                body=(
                    f"Het zelfbeheercontract voor {contract.location} loopt af op {contract.ends_on:%d-%m-%Y}. "
                    f"Overleg op tijd over verlengen: {decision_url(contract)}\n"
                ),
            )
            sent += 1
    Contract.objects.filter(status=Contract.Status.ACTIVE, ends_on__lte=today).update(status=Contract.Status.ENDED)
    return sent
