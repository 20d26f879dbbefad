"""Writes of self-chosen support: the pool, the allow-lists, requests and answers, the ledger.

Each service checks its permission itself (support.permissions), so no caller can skip it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gis_service.accounts.models import Membership, User
from gis_service.accounts.selectors import regisseurs
from gis_service.core import limits
from gis_service.core.dates import written_date
from gis_service.core.links import site_url
from gis_service.core.mail import send_after_commit
from gis_service.groups.models import Group
from gis_service.groups.selectors import managers_to_mail
from gis_service.initiatives.models import Initiative
from gis_service.owners.models import Owner
from gis_service.support import permissions, selectors
from gis_service.support.models import (
    AllowedSupporter,
    LedgerEntry,
    PriceKind,
    Supporter,
    SupporterApplication,
    SupporterKind,
    SupportKind,
    SupportRequest,
    Unit,
)

AnyUser = AbstractBaseUser | AnonymousUser
CENT = Decimal("0.01")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _uid(user: AnyUser) -> int:
    """The id of a logged-in user; anonymous users never write."""
    if not user.is_authenticated or user.pk is None:
        raise PermissionDenied(_("Log eerst in."))
    return int(user.pk)


def _require_regisseur(owner: Owner, by: AnyUser) -> None:
    _require(
        by.is_authenticated and Membership.objects.directed_by(by).filter(owner=owner).exists(),  # type: ignore[arg-type]
        _("Alleen een regisseur van deze eigenaar mag dit."),
    )


def _offers(offers: Iterable[str]) -> list[str]:
    chosen = [kind for kind in SupportKind.values if kind in set(offers)]
    unknown = set(offers) - set(SupportKind.values)
    if unknown or not chosen:
        raise ValidationError({"offers": _("Kies wat de ondersteuner aanbiedt.")})
    return chosen


def _price(price_kind: str, price_eur: Decimal | None) -> Decimal | None:
    if price_kind not in PriceKind.values:
        raise ValidationError({"price_kind": _("Kies gratis, per uur of per klus.")})
    if price_kind == PriceKind.FREE:
        return None
    if price_eur is None or price_eur <= 0:
        raise ValidationError({"price_eur": _("Geef het bedrag per uur of per klus.")})
    return price_eur.quantize(CENT)


@transaction.atomic
def supporter_create(
    *,
    owner: Owner,
    by: AnyUser,
    email: str,
    name: str,
    kind: str,
    offers: Iterable[str],
    price_kind: str,
    price_eur: Decimal | None = None,
    organisation: str = "",
    description: str = "",
    areas: Iterable[Owner] = (),
) -> Supporter:
    """Make the account with this e-mail address a supporter in the pool, working on `owner`'s
    ground (and `areas`), allowed for `owner`'s groups. Only `owner`'s regisseur may."""
    _require_regisseur(owner, by)
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(
            {"email": _("Er is geen account met dit e-mailadres; vraag de ondersteuner er een aan te maken.")}
        )
    if Supporter.objects.filter(user=user).exists():
        raise ValidationError({"email": _("Dit account is al ondersteuner.")})
    profile = _profile(
        name=name, organisation=organisation, kind=kind, offers=offers, description=description,
        price_kind=price_kind, price_eur=price_eur,
    )  # fmt: skip
    return _make_supporter(user=user, owner=owner, by=by, profile=profile, areas=areas)


def _profile(
    *,
    name: str,
    organisation: str,
    kind: str,
    offers: Iterable[str],
    description: str,
    price_kind: str,
    price_eur: Decimal | None,
) -> dict[str, object]:
    """A supporter's card (or an application for one), checked: the fields as they are stored."""
    if kind not in SupporterKind.values:
        raise ValidationError({"kind": _("Kies een soort ondersteuner.")})
    if not name.strip():
        raise ValidationError({"name": _("Dit veld is verplicht.")})
    return {
        "name": limits.check_length(name.strip(), "name", limits.TITLE),
        "organisation": limits.check_length(organisation.strip(), "organisation", limits.TITLE),
        "kind": kind,
        "offers": _offers(offers),
        "description": limits.check_length(description.strip(), "description", limits.MESSAGE),
        "price_kind": price_kind,
        "price_eur": _price(price_kind, price_eur),
    }


def _make_supporter(
    *, user: User, owner: Owner, by: AnyUser, profile: dict[str, object], areas: Iterable[Owner] = ()
) -> Supporter:
    """The supporter in the pool, working on `owner`'s ground (and `areas`), on `owner`'s allow-list."""
    supporter = Supporter.objects.create(user=user, **profile, added_by_owner=owner, added_by_id=_uid(by))
    supporter.areas.set({owner, *areas})
    AllowedSupporter.objects.create(owner=owner, supporter=supporter, added_by_id=_uid(by))
    return supporter


@transaction.atomic
def supporter_apply(
    *,
    owner: Owner,
    by: AnyUser,
    name: str,
    kind: str,
    offers: Iterable[str],
    price_kind: str,
    price_eur: Decimal | None = None,
    organisation: str = "",
    description: str = "",
) -> SupporterApplication:
    """Someone with an account asks `owner` to take them into the pool; its regisseurs are e-mailed.
    Nothing is public until a regisseur accepts (`supporter_application_decide`)."""
    _require(permissions.can_apply(by), _("Je staat al in de pool."))
    if not owner.memberships.filter(role=Membership.Role.REGISSEUR).exists():
        raise ValidationError({"owner": _("Deze eigenaar heeft nog geen regisseur die aanmeldingen beoordeelt.")})
    if SupporterApplication.objects.filter(
        user_id=_uid(by), owner=owner, status=SupporterApplication.Status.ASKED
    ).exists():
        raise ValidationError({"owner": _("Je aanmelding bij deze eigenaar wacht nog op een besluit.")})
    profile = _profile(
        name=name, organisation=organisation, kind=kind, offers=offers, description=description,
        price_kind=price_kind, price_eur=price_eur,
    )  # fmt: skip
    application = SupporterApplication.objects.create(user_id=_uid(by), owner=owner, **profile)
    for regisseur in regisseurs(owner_id=owner.pk):
        with translation.override(regisseur.mail_language):
            send_after_commit(
                to=[regisseur.email],
                subject=_("%(name)s meldt zich aan als ondersteuner") % {"name": application.name},
                body=_("%(name)s (%(kind)s) wil in de pool van %(owner)s. Accepteer of wijs af: %(url)s")
                % {
                    "name": application.name,
                    "kind": application.get_kind_display(),
                    "owner": owner.name,
                    "url": site_url("web:regisseur-support", anchor="applications"),
                },
            )
    return application


@transaction.atomic
def supporter_application_decide(
    *, application: SupporterApplication, by: AnyUser, accept: bool, reason: str = ""
) -> SupporterApplication:
    """The owner's regisseur accepts (the applicant joins the pool, on the owner's allow-list) or
    declines, once; the applicant is e-mailed either way."""
    _require(
        permissions.can_decide_application(application, by),
        _("Alleen een regisseur van deze eigenaar beslist over deze aanmelding."),
    )
    reason = limits.check_length(reason.strip(), "reason", limits.MESSAGE)
    status = SupporterApplication.Status.ACCEPTED if accept else SupporterApplication.Status.DECLINED
    now = timezone.now()
    # Two regisseurs at once: only the one that finds it still open decides.
    changed = SupporterApplication.objects.filter(pk=application.pk, status=SupporterApplication.Status.ASKED).update(
        status=status, reason=reason, decided_at=now, decided_by_id=_uid(by)
    )
    if not changed:
        raise ValidationError(_("Over deze aanmelding is al beslist."))
    application.status, application.reason, application.decided_at = status, reason, now
    user = application.user
    if accept:
        if Supporter.objects.filter(user=user).exists():  # accepted by another owner meanwhile
            allow_list_add(owner=application.owner, supporter=user.supporter, by=by)
        else:
            profile = {
                field: getattr(application, field)
                for field in ("name", "organisation", "kind", "offers", "description", "price_kind", "price_eur")
            }
            _make_supporter(user=user, owner=application.owner, by=by, profile=profile)
        # The other owners' open applications stay: each may still put them on its own list.
    if user.is_active and user.email:
        with translation.override(user.mail_language):
            if accept:
                subject = _("Je staat in de pool van %(owner)s") % {"owner": application.owner.name}
                body = _(
                    "%(owner)s heeft je aanmelding als ondersteuner geaccepteerd. Groepen op de grond van "
                    "%(owner)s kunnen je nu om hulp vragen; hun verzoeken komen in je postvak: %(url)s"
                ) % {"owner": application.owner.name, "url": site_url("web:support-inbox")}
            else:
                subject = _("Je aanmelding bij %(owner)s") % {"owner": application.owner.name}
                body = _("%(owner)s heeft je aanmelding als ondersteuner afgewezen.") % {
                    "owner": application.owner.name
                }
            send_after_commit(to=[user.email], subject=subject, body="\n\n".join(p for p in (body, reason) if p))
    return application


@transaction.atomic
def supporter_leave(*, user: User) -> None:
    """Takes the supporter whose account is being deleted out of the pool: off every allow-list,
    inactive, name and texts gone. Requests and ledger rows stay (the groups' history), and
    unanswered requests are declined so no group waits for an answer that will not come."""
    # Applications hold the person's name and texts: gone with the account, open or decided.
    SupporterApplication.objects.filter(user_id=user.pk).delete()
    supporter = Supporter.objects.filter(user_id=user.pk).first()
    if supporter is None:
        return
    AllowedSupporter.objects.filter(supporter=supporter).delete()
    SupportRequest.objects.filter(supporter=supporter, status=SupportRequest.Status.ASKED).update(
        status=SupportRequest.Status.DECLINED, answered_at=timezone.now()
    )
    Supporter.objects.filter(pk=supporter.pk).update(
        is_active=False, name=_("verwijderde ondersteuner"), organisation="", description=""
    )


def allow_list_add(*, owner: Owner, supporter: Supporter, by: AnyUser) -> AllowedSupporter:
    """Let the groups on `owner`'s ground ask `supporter`; adding twice changes nothing."""
    _require_regisseur(owner, by)
    allowed, _created = AllowedSupporter.objects.get_or_create(
        owner=owner, supporter=supporter, defaults={"added_by_id": _uid(by)}
    )
    return allowed


def allow_list_remove(*, owner: Owner, supporter: Supporter, by: AnyUser) -> None:
    """Stop new requests to `supporter` from `owner`'s groups; requests made stay as they are."""
    _require_regisseur(owner, by)
    AllowedSupporter.objects.filter(owner=owner, supporter=supporter).delete()


@transaction.atomic
def support_ask(
    *, group: Group, supporter: Supporter, kind: str, wanted_on: dt.date, message: str, by: AnyUser
) -> SupportRequest:
    """A manager asks a supporter of the owner's allow-list; the supporter is e-mailed."""
    _require(permissions.can_ask(group, by), _("Alleen beheerders van deze groep vragen ondersteuning."))
    return _ask(
        asker={"group": group},
        owner_id=group.location.owner_id,
        supporter=supporter,
        kind=kind,
        wanted_on=wanted_on,
        message=message,
        by=by,
    )


@transaction.atomic
def support_ask_for_initiative(
    *, initiative: Initiative, supporter: Supporter, kind: str, wanted_on: dt.date, message: str, by: AnyUser
) -> SupportRequest:
    """An initiator asks a supporter of the owner's allow-list, before there is a group; the
    supporter is e-mailed, the initiators get the answer."""
    _require(
        permissions.can_ask_for_initiative(initiative, by),
        _("Alleen initiatiefnemers van dit initiatief vragen ondersteuning."),
    )
    return _ask(
        asker={"initiative": initiative},
        owner_id=initiative.owner_id,
        supporter=supporter,
        kind=kind,
        wanted_on=wanted_on,
        message=message,
        by=by,
    )


def _ask(
    *,
    asker: dict[str, Group | Initiative],
    owner_id: int,
    supporter: Supporter,
    kind: str,
    wanted_on: dt.date,
    message: str,
    by: AnyUser,
) -> SupportRequest:
    """The request of a group or an initiative (`asker`), checked against the owner's allow-list."""
    if not selectors.allowed_supporters(owner_id=owner_id).filter(pk=supporter.pk).exists():
        raise ValidationError({"supporter": _("Deze ondersteuner staat niet op de lijst van de eigenaar.")})
    if kind not in supporter.offers:
        raise ValidationError({"kind": _("Deze ondersteuner biedt dit niet aan.")})
    if wanted_on < timezone.localdate():
        raise ValidationError({"wanted_on": _("Kies een datum vanaf vandaag.")})
    message = message.strip()
    if not message:
        raise ValidationError({"message": _("Dit veld is verplicht.")})
    request = SupportRequest.objects.create(
        **asker,
        supporter=supporter,
        kind=kind,
        wanted_on=wanted_on,
        message=limits.check_length(message, "message", limits.MESSAGE),
        asked_by_id=_uid(by),
    )
    with translation.override(supporter.user.mail_language):
        send_after_commit(
            to=[supporter.user.email],
            subject=_("Verzoek om ondersteuning van %(group)s") % {"group": request.asker_name},
            body=_(
                "%(group)s vraagt je om %(kind)s op %(day)s:\n\n%(message)s\n\n"
                "Accepteer of wijs af in je postvak: %(url)s"
            )
            % {
                "group": request.asker_name,
                "kind": request.get_kind_display(),
                "day": written_date(wanted_on),
                "message": request.message,
                "url": site_url("web:support-inbox"),
            },
        )
    return request


@transaction.atomic
def support_answer(*, request: SupportRequest, by: AnyUser, accept: bool, answer: str = "") -> SupportRequest:
    """The supporter accepts or declines, once; the group's managers are e-mailed."""
    _require(permissions.can_answer(request, by), _("Alleen de gevraagde ondersteuner beantwoordt dit verzoek."))
    status = SupportRequest.Status.ACCEPTED if accept else SupportRequest.Status.DECLINED
    answer = limits.check_length(answer.strip(), "answer", limits.MESSAGE)
    now = timezone.now()
    # Two answers at once (two tabs): only the one that finds the request still asked writes.
    changed = SupportRequest.objects.filter(pk=request.pk, status=SupportRequest.Status.ASKED).update(
        status=status, answer=answer, answered_at=now
    )
    if not changed:
        raise ValidationError(_("Dit verzoek is al beantwoord."))
    request.status, request.answer, request.answered_at = status, answer, now
    recipients: list[User] = []  # exactly one of group and initiative asks (support_request_one_asker)
    url = ""
    if request.group is not None:
        url = site_url("web:group-support", request.group_id)
        recipients = managers_to_mail(request.group)
    elif request.initiative_id is not None:
        url = site_url("web:initiative", request.initiative_id, anchor="support")
        recipients = selectors.initiators_to_mail(initiative_id=request.initiative_id)
    # One mail per manager (or initiator), in their own language: a shared To: line would hand each
    # one's address to the others.
    for recipient in recipients:
        with translation.override(recipient.mail_language):
            subject = (
                _("%(supporter)s helpt %(group)s") if accept else _("%(supporter)s kan %(group)s niet helpen")
            ) % {"supporter": request.supporter.name, "group": request.asker_name}
            body = _("Je verzoek om %(kind)s op %(day)s is %(status)s.") % {
                "kind": request.get_kind_display(),
                "day": written_date(request.wanted_on),
                "status": request.get_status_display(),
            }
            send_after_commit(
                to=[recipient.email], subject=subject, body="\n\n".join(part for part in (body, answer, url) if part)
            )
    return request


def _insert_entry(**fields: object) -> LedgerEntry:
    """The row, or a ValidationError when PostgreSQL refuses it (sql/ledger.sql: not below zero)."""
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(**fields)
    except IntegrityError as error:
        if "support_ledger_balance_not_negative" in str(error):
            raise ValidationError(_("Het saldo is niet genoeg.")) from error
        raise


@transaction.atomic
def vouchers_issue(*, group: Group, unit: str, amount: Decimal, by: AnyUser, note: str = "") -> LedgerEntry:
    """The owner's regisseur gives the group vouchers (whole) or a support budget in euro."""
    _require(permissions.can_issue(group, by), _("Alleen een regisseur van de eigenaar geeft vouchers uit."))
    if unit not in Unit.values:
        raise ValidationError({"unit": _("Kies vouchers of euro.")})
    if amount <= 0:
        raise ValidationError({"amount": _("Geef een aantal groter dan nul.")})
    if unit == Unit.VOUCHER and amount != amount.to_integral_value():
        raise ValidationError({"amount": _("Vouchers zijn hele getallen.")})
    return _insert_entry(
        group=group,
        unit=unit,
        amount=amount.quantize(CENT),
        note=limits.check_length(note.strip(), "note", limits.TITLE),
        created_by_id=_uid(by),
    )


def spend_cost(*, request: SupportRequest, vouchers: int | None, hours: Decimal | None) -> tuple[str, Decimal]:
    """What paying `request` costs: (unit, amount) — vouchers as given, or euro from the price."""
    if vouchers is not None and hours is not None:
        # Vouchers pay without hours: the hours would be dropped without a word (nothing silent).
        raise ValidationError({"hours": _("Vul vouchers of uren in, niet allebei.")})
    supporter = request.supporter
    if supporter.price_kind == PriceKind.FREE or supporter.price_eur is None:
        # Also not in vouchers: they would leave the group's balance for help that costs nothing.
        free = _("Deze ondersteuner is gratis: er is niets te betalen.")
        raise ValidationError({"vouchers" if vouchers is not None else "hours": free})
    if vouchers is not None:
        if vouchers <= 0:
            raise ValidationError({"vouchers": _("Geef een aantal groter dan nul.")})
        return Unit.VOUCHER, Decimal(vouchers)
    if supporter.price_kind == PriceKind.PER_JOB:
        if hours is not None:
            # A job has one price whatever the hours: they would be dropped without a word.
            raise ValidationError({"hours": _("Deze ondersteuner rekent per klus: laat de uren leeg.")})
        return Unit.EURO, supporter.price_eur
    if hours is None or hours <= 0:
        raise ValidationError({"hours": _("Geef het aantal uren.")})
    return Unit.EURO, (hours * supporter.price_eur).quantize(CENT)


@transaction.atomic
def support_spend(
    *, request: SupportRequest, by: AnyUser, vouchers: int | None = None, hours: Decimal | None = None
) -> LedgerEntry:
    """A manager pays an accepted request: a number of vouchers, or hours × price from the budget."""
    _require(permissions.can_spend(request, by), _("Alleen beheerders betalen een geaccepteerd verzoek."))
    group = request.group
    if group is None:  # can_spend refuses an initiative's request; this tells mypy so
        raise PermissionDenied(_("Alleen beheerders betalen een geaccepteerd verzoek."))
    unit, cost = spend_cost(request=request, vouchers=vouchers, hours=hours)
    # Two managers paying at once would each see the old balance: the group's row lock makes the
    # second wait and read the first's spending (the ledger's trigger takes the same lock).
    Group.objects.select_for_update().filter(pk=group.pk).first()
    if request.supporter.price_kind == PriceKind.PER_JOB and (paid := selectors.first_payment(request=request)):
        # A job has one price: a second payment would pay it twice. Hours and vouchers pay per visit.
        message = _("Deze klus is al betaald op %(day)s.") % {"day": written_date(timezone.localdate(paid.created_at))}
        raise ValidationError({"vouchers" if vouchers is not None else "hours": message})
    balance = selectors.balances(group=group)[unit]
    if balance < cost:
        short = _("Het saldo is niet genoeg: %(balance)s, nodig %(cost)s.") % {"balance": balance, "cost": cost}
        raise ValidationError({"vouchers" if unit == Unit.VOUCHER else "hours": short})
    entry = _insert_entry(
        group=group,
        unit=unit,
        amount=-cost,
        request=request,
        hours=hours if unit == Unit.EURO and request.supporter.price_kind == PriceKind.PER_HOUR else None,
        note=request.supporter.name[: limits.TITLE],
        created_by_id=_uid(by),
    )
    _mail_payment(request=request, entry=entry)
    return entry


def _mail_payment(*, request: SupportRequest, entry: LedgerEntry) -> None:
    """Tells the supporter what the group booked for their help (the amount, never the balance)."""
    supporter_user = request.supporter.user
    if not supporter_user.is_active or not supporter_user.email:
        return
    with translation.override(supporter_user.mail_language):
        if entry.unit == Unit.VOUCHER:
            amount = _("%(count)s vouchers") % {"count": int(-entry.amount)}
        elif entry.hours is not None:
            amount = _("€ %(amount)s (%(hours)s uur)") % {
                "amount": number_format(-entry.amount, 2),
                "hours": number_format(entry.hours.normalize()),
            }
        else:
            amount = _("€ %(amount)s") % {"amount": number_format(-entry.amount, 2)}
        send_after_commit(
            to=[supporter_user.email],
            subject=_("%(group)s heeft je hulp betaald") % {"group": request.asker_name},
            body=_("%(group)s heeft voor je hulp (%(kind)s op %(day)s) %(amount)s betaald.\n\nJe verzoeken: %(url)s")
            % {
                "group": request.asker_name,
                "kind": request.get_kind_display(),
                "day": written_date(request.wanted_on),
                "amount": amount,
                "url": site_url("web:support-inbox"),
            },
        )
