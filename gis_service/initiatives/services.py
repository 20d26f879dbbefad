"""Writes for resident initiatives: submit, join, approve into a location with a contract, reject."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from gis_service.accounts.selectors import regisseurs
from gis_service.contracts.models import Contract, ManagerSignup, Offering, TermsVersion
from gis_service.contracts.selectors import overlap_check, owners_covering, terms_acceptance_url
from gis_service.contracts.services.decisions import contract_activate
from gis_service.contracts.services.rules import add_months, may_direct, require_regisseur, required_text
from gis_service.core import limits
from gis_service.core.dates import written_date
from gis_service.core.links import site_url
from gis_service.core.mail import by_language, send_after_commit
from gis_service.geo import crs as geo_crs
from gis_service.geo.areas import AreaError, DrawnArea
from gis_service.initiatives import permissions
from gis_service.initiatives.models import (
    DESCRIPTION_MAX_CHARS,
    REJECTION_REASON_MAX_CHARS,
    HelpOffer,
    Initiative,
    InitiativePost,
)
from gis_service.initiatives.selectors import InitiativeArea, initiative_area, invite_matches
from gis_service.locations.services import location_create

# The terms a location made from an initiative starts with, after common municipal rules
# (Lansingerland, Pijnacker-Nootdorp); the regisseur can give others when approving.
DEFAULT_TERMS = """Zelfbeheerovereenkomst (standaardvoorwaarden)

1. De beheerders onderhouden de locatie zorgvuldig, zoals in hun plan beschreven.
2. Er worden geen chemische bestrijdingsmiddelen gebruikt.
3. Bomen blijven eigendom en verantwoordelijkheid van de eigenaar.
4. Aan het einde van de overeenkomst wordt de oorspronkelijke staat hersteld, tenzij anders afgesproken.
5. Beide partijen kunnen de overeenkomst beëindigen; de regisseur is het vaste aanspreekpunt.
"""
# The longest name and terms a regisseur may give when approving: the location's varchar(255),
# and about 25 pages of terms (as the offering's terms, gis_service/contracts).
NAME_MAX_CHARS = 255
TERMS_MAX_CHARS = limits.TERMS


OWN_GROUND = gettext_lazy(
    "Je bent regisseur van de eigenaar van deze grond en beslist over de initiatieven erop: daar dien je er "
    "zelf geen in en doe je er niet aan mee."
)


def _url(initiative: Initiative) -> str:
    return site_url("web:regisseur", anchor=f"initiative-{initiative.pk}")


def _replayed(*, earlier: Initiative, description: str, checked: str | None) -> Initiative:
    """The initiative an earlier send of the same form made, when this send asks for the same."""
    same_area = (
        checked is None
        or checked
        == InitiativeArea(
            area=DrawnArea(geometry=earlier.geometry, crs=geo_crs.supported()[geo_crs.CRS84]),
            locations=list(earlier.locations.order_by("pk")),
        ).fingerprint
    )
    if earlier.description != description or not same_area:
        raise ValidationError(
            {
                "submission_key": _(
                    "Dit formulier is al ingediend als initiatief %(id)d. "
                    "Laad de pagina opnieuw voor een nieuw initiatief."
                )
                % {"id": earlier.pk}
            }
        )
    return earlier


@transaction.atomic
def initiative_submit(
    *,
    user: Any,
    description: str,
    area: DrawnArea | None = None,
    location_ids: list[int] | None = None,
    submission_key: uuid.UUID | None = None,
    checked: str | None = None,
) -> Initiative:
    """Registers a resident's initiative and e-mails the regisseurs of the owner covering its area.

    `submission_key` (the form's) makes sending the same form again return the initiative the
    first send made instead of a second; `checked` (the check's `fingerprint`) refuses an area
    that is not the one the resident saw checked.
    """
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in om een initiatief in te dienen."))
    description = required_text(description, "description", _("Beschrijf wat je met deze plek wilt doen."))
    description = limits.check_length(description, "description", DESCRIPTION_MAX_CHARS)
    if submission_key is not None:
        earlier = Initiative.objects.filter(created_by=user, submission_key=submission_key).first()
        if earlier is not None:
            return _replayed(earlier=earlier, description=description, checked=checked)
    asked = initiative_area(area=area, location_ids=location_ids)
    if checked is not None and checked != asked.fingerprint:
        # The page shows the check of exactly what it sends; a difference means the two drifted
        # apart (a location changed in between, or a page that checked one thing and sent another).
        raise AreaError(
            "changed_since_check",
            _("Het gebied is niet meer wat er gecontroleerd is. Controleer het opnieuw en dien dan in."),
        )
    drawn = asked.area
    result = overlap_check(area=drawn)
    if result["conflicts"]:
        first = result["conflicts"][0]
        raise AreaError(
            "overlaps_contract",
            _(
                "Het gebied overlapt %(m2)s m² met een lopend zelfbeheercontract (%(name)s); "
                "teken alleen het vrije deel."
            )
            % {
                "m2": first["overlap_m2"],
                "name": first["location_name"] or _("contract %(id)s") % {"id": first["contract"]},
            },
            first["overlap_geometry"],
        )
    owners = owners_covering(area=drawn)
    if not owners:
        raise AreaError("no_owner", _("Geen eigenaar is verantwoordelijk voor dit gebied."))
    if may_direct(user, owners[0].pk):
        # The owner's regisseur decides on the initiative: filing one there would be deciding on their
        # own plan (as a sign-up as manager on that ground is, contracts.services.rules.refuse_own_ground).
        raise AreaError("own_ground", str(OWN_GROUND))
    try:
        # A savepoint: when the same form is sent twice at once, the second insert waits for the
        # first and then fails on initiative_submitted_once; it rolls back alone and answers with
        # the first's initiative. The database decides, whatever the page did.
        with transaction.atomic():
            initiative = Initiative.objects.create(
                owner=owners[0],
                geometry=drawn.geometry,  # type: ignore[misc]
                description=description,
                created_by=user,
                submission_key=submission_key,
            )
    except IntegrityError:
        earlier = Initiative.objects.filter(created_by=user, submission_key=submission_key).first()
        if submission_key is None or earlier is None:
            raise
        return _replayed(earlier=earlier, description=description, checked=checked)
    initiative.initiators.add(user)
    initiative.locations.set(asked.locations)
    send_after_commit_to_regisseurs(initiative)
    return initiative


def send_after_commit_to_regisseurs(initiative: Initiative) -> None:
    user = initiative.created_by
    person = f"{user.get_full_name() or user.username} ({user.email}" + (f", {user.phone}" if user.phone else "") + ")"
    area_m2 = initiative.area_m2 or initiative.geometry.area
    for language, addresses in by_language(regisseurs(owner_id=initiative.owner_id)):
        with translation.override(language):
            send_after_commit(
                to=addresses,
                subject=_("Nieuw bewonersinitiatief (%(area)s m²)") % {"area": f"{area_m2:.0f}"},
                body=_("%(person)s diende een bewonersinitiatief in.\n\nPlan:\n%(plan)s\n\nBesluit hier: %(url)s\n")
                % {"person": person, "plan": initiative.description, "url": _url(initiative)},
            )


@transaction.atomic
def initiative_join(*, initiative: Initiative, user: Any, token: str) -> Initiative:
    """Another resident joins an initiative that is still waiting, as co-initiator, with the invite
    token an initiator shared (Initiative.invite_token)."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in om mee te doen."))
    if not invite_matches(initiative=initiative, token=token):
        raise PermissionDenied(_("Je kunt alleen meedoen via de uitnodigingslink van een initiatiefnemer."))
    if initiative.status != Initiative.Status.SUBMITTED:
        raise ValidationError({"status": _("Over dit initiatief is al besloten.")})
    if may_direct(user, initiative.owner_id):
        raise PermissionDenied(str(OWN_GROUND))
    if initiative.initiators.filter(pk=user.pk).exists():
        return initiative  # already one of them (the link opened twice): nothing changes, nobody is mailed
    initiative.initiators.add(user)
    _mail_initiators(
        initiative,
        skip_user_id=user.pk,
        subject=gettext_noop("Een buur doet mee met je bewonersinitiatief"),
        # Translators: %(plan)s is the start of the initiative's plan, %(url)s a link to its page.
        body=gettext_noop(
            "Een buur doet via je uitnodigingslink mee met je bewonersinitiatief “%(plan)s”. Wie meedoet, "
            "staat op Mijn zelfbeheer; als de regisseur het plan goedkeurt, worden jullie samen de beheerders."
            "\n\n%(url)s\n"
        ),
        anchor="",
    )
    return initiative


@transaction.atomic
def initiative_approve(
    *,
    initiative: Initiative,
    by: Any,
    name: str = "",
    terms_text: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Initiative:
    """Approval makes the area a location with an active contract managed by the initiators."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    require_regisseur(by, initiative.owner_id)
    if initiative.status != Initiative.Status.SUBMITTED:
        raise ValidationError(
            {
                "status": _("Over dit initiatief is al besloten (%(status)s).")
                % {"status": initiative.get_status_display()}
            }
        )
    name = limits.check_length((name or "").strip(), "name", NAME_MAX_CHARS)
    terms_text = limits.check_length((terms_text or "").strip(), "terms_text", TERMS_MAX_CHARS)
    starts_on = starts_on or timezone.localdate()
    ends_on = ends_on or add_months(starts_on, 12)
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("De einddatum moet na de begindatum liggen.")})
    location = location_create(
        owner_id=initiative.owner_id,
        name=name or f"Bewonersinitiatief {initiative.pk}",
        type="bewonersinitiatief",
        geometry=initiative.geometry,
    )
    terms_text = terms_text or DEFAULT_TERMS
    offering = Offering.objects.create(location=location, conditions=terms_text, managers_needed=1, contact_person=by)
    terms = TermsVersion.objects.create(offering=offering, number=1, text=terms_text, created_by=by)
    contract = Contract.objects.create(location=location, geometry=initiative.geometry, terms_version=terms)
    initiators = list(initiative.initiators.all())
    for user in initiators:
        ManagerSignup.objects.create(contract=contract, user=user, plan=initiative.description)
    contract_activate(contract=contract, by=by, starts_on=starts_on, ends_on=ends_on)
    initiative.status = Initiative.Status.APPROVED
    initiative.location, initiative.contract = location, contract
    initiative.decided_by, initiative.decided_at = by, timezone.now()
    initiative.save()
    for language, addresses in by_language(initiators):
        with translation.override(language):
            send_after_commit(
                to=addresses,
                subject=_("Goedgekeurd: je bewonersinitiatief is nu %(location)s") % {"location": location.name},
                body=_(
                    "Je initiatief is goedgekeurd: %(location)s staat nu op de kaart, met jou als beheerder, "
                    "van %(start)s tot %(end)s.\n\n"
                    "Lees en accepteer de voorwaarden (versie 1, hash %(hash)s):\n"
                    "%(url)s\n\n%(text)s\n"
                )
                % {
                    "location": location.name,
                    "start": written_date(starts_on),
                    "end": written_date(ends_on),
                    "hash": terms.content_hash,
                    "url": terms_acceptance_url(contract),
                    "text": terms.text,
                },
            )
    return initiative


@transaction.atomic
def initiative_reject(*, initiative: Initiative, by: Any, reason: str) -> Initiative:
    """Rejection with a reason, which the initiators receive by e-mail."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    require_regisseur(by, initiative.owner_id)
    reason = required_text(reason, "reason", _("Geef een reden voor de afwijzing."))
    reason = limits.check_length(reason, "reason", REJECTION_REASON_MAX_CHARS)
    if initiative.status != Initiative.Status.SUBMITTED:
        raise ValidationError(
            {
                "status": _("Over dit initiatief is al besloten (%(status)s).")
                % {"status": initiative.get_status_display()}
            }
        )
    initiative.status = Initiative.Status.REJECTED
    initiative.rejection_reason = reason
    initiative.decided_by, initiative.decided_at = by, timezone.now()
    initiative.save()
    for language, addresses in by_language(initiative.initiators.all()):
        with translation.override(language):
            send_after_commit(
                to=addresses,
                subject=_("Afgewezen: je bewonersinitiatief"),
                body=_("Je bewonersinitiatief is afgewezen.\n\nReden: %(reason)s\n\nJe plan:\n%(plan)s\n")
                % {"reason": reason, "plan": initiative.description},
            )
    return initiative


def _required_text(value: str, field: str, limit: int) -> str:
    return required_text(value, field, _("Dit veld is verplicht."), max_length=limit)


def _public_url(initiative: Initiative, anchor: str = "") -> str:
    return site_url("web:initiative", initiative.pk, anchor=anchor)


def _mail_initiators(initiative: Initiative, *, skip_user_id: int, subject: str, body: str, anchor: str) -> None:
    """Mails the initiators (except the one who wrote) in each one's language; `subject` and `body`
    are msgids, translated inside each language; the body's %(plan)s and %(url)s are filled in.
    The mail holds a link, not the post: its readers see it on the page, as moderated."""
    people = [person for person in initiative.initiators.all() if person.pk != skip_user_id]
    for language, addresses in by_language(people):
        with translation.override(language):
            send_after_commit(
                to=addresses,
                subject=_(subject),
                body=_(body) % {"plan": initiative.description[:80], "url": _public_url(initiative, anchor)},
            )


@transaction.atomic
def initiative_post_create(*, initiative: Initiative, author: Any, body: str) -> InitiativePost:
    """A logged-in resident writes in the initiative's public discussion; its initiators are mailed."""
    if not permissions.can_post(initiative, author):
        raise PermissionDenied(_("Log in om te reageren op een open initiatief."))
    post = InitiativePost.objects.create(
        initiative=initiative, author_id=author.pk, body=_required_text(body, "body", limits.MESSAGE)
    )
    _mail_initiators(
        initiative,
        skip_user_id=author.pk,
        subject=gettext_noop("Nieuw bericht bij je bewonersinitiatief"),
        # Translators: %(plan)s is the start of the initiative's plan, %(url)s a link to the post.
        body=gettext_noop("Er is een nieuw bericht bij je bewonersinitiatief “%(plan)s”.\n\nLees het hier: %(url)s\n"),
        anchor=f"post-{post.pk}",
    )
    return post


@transaction.atomic
def initiative_post_hide(*, post: InitiativePost, by: Any, reason: str) -> InitiativePost:
    """The regisseur of the initiative's owner hides a post, with a reason; it is kept, never deleted."""
    reason = _required_text(reason, "reason", limits.MESSAGE)
    # Two regisseurs hiding at once: the row lock makes the second see the first one's reason.
    post = InitiativePost.objects.select_for_update().select_related("initiative").get(pk=post.pk)
    if not permissions.directs_owner(post.initiative, by):
        raise PermissionDenied(_("Alleen een regisseur van deze eigenaar mag berichten verbergen."))
    if post.hidden_at is not None:
        raise ValidationError({"reason": _("Dit bericht is al verborgen.")})
    post.hidden_at, post.hidden_by_id, post.hidden_reason = timezone.now(), by.pk, reason
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return post


@transaction.atomic
def help_offer_create(*, initiative: Initiative, professional: Any, function: str, offer: str) -> HelpOffer:
    """A professional of the initiative's owner offers help, once; the initiators are mailed."""
    if not (permissions.is_open(initiative) and permissions.is_professional_of(initiative.owner_id, professional)):
        raise PermissionDenied(_("Alleen professionals van deze eigenaar bieden hulp aan."))
    try:
        # A savepoint, so a second offer (a double tap) leaves the outer transaction usable.
        with transaction.atomic():
            help_offer = HelpOffer.objects.create(
                initiative=initiative,
                professional_id=professional.pk,
                function=_required_text(function, "function", limits.TITLE),
                offer=_required_text(offer, "offer", limits.MESSAGE),
            )
    except IntegrityError:  # help_offer_once
        raise ValidationError({"offer": _("Je hebt al hulp aangeboden bij dit initiatief.")}) from None
    _mail_initiators(
        initiative,
        skip_user_id=professional.pk,
        subject=gettext_noop("Een professional biedt hulp aan bij je bewonersinitiatief"),
        body=gettext_noop(
            "Een professional biedt hulp aan bij je bewonersinitiatief “%(plan)s”.\n\nBekijk het aanbod: %(url)s\n"
        ),
        anchor=f"help-{help_offer.pk}",
    )
    return help_offer
