"""Every page of the site on the demo data, with the user who opens it: the pages the
Content-Security-Policy tests walk (tests/web/test_csp.py, tests/core/test_csp_header.py)."""

from __future__ import annotations

from django.core.management import call_command

from gis_service.accounts import tokens
from gis_service.accounts.models import User
from gis_service.accounts.services import account_register
from gis_service.contracts.models import Contract
from gis_service.groups.models import ForumThread, Group
from gis_service.groups.unsubscribe import unsubscribe_token
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from importers.models import ImportRun, Source

# (demo user or None for anonymous, path)
Page = tuple[str | None, str]


def demo_site_pages() -> list[Page]:
    """Loads the demo and lists its pages: public, resident, regisseur, admin, API docs and the feed, and
    the pages behind the links in our mails (confirming an account or address, unsubscribing, a new
    password)."""
    call_command("load_demo")
    location = Location.objects.order_by("pk").first()
    assert location is not None
    offerable = Location.objects.filter(offering__isnull=True, owner__name="Gemeente Hilversum").order_by("pk").first()
    assert offerable is not None
    offered = (
        Location.objects.filter(offering__isnull=False, offering__stopped_at__isnull=True, owner=offerable.owner)
        .order_by("pk")
        .first()
    )
    assert offered is not None
    contract = (
        Contract.objects.filter(signups__user__username="bewoner", status=Contract.Status.ACTIVE).order_by("pk").first()
    )
    assert contract is not None
    open_contract = Contract.objects.filter(status=Contract.Status.OPEN).order_by("pk").first()
    assert open_contract is not None
    group = Group.objects.order_by("pk").first()
    assert group is not None
    thread = ForumThread.objects.filter(group=group).order_by("pk").first()
    initiative = Initiative.objects.order_by("pk").first()
    assert initiative is not None
    run = ImportRun.objects.order_by("pk").first()
    source = Source.objects.order_by("pk").first()
    assert run is not None and source is not None
    pages: list[Page] = [
        (None, "/"),
        (None, f"/locaties/{location.pk}/"),
        (None, f"/locaties/{location.pk}/bord/"),
        (None, f"/groepen/{group.pk}/"),
        (None, "/account/aanmaken/"),
        (None, "/accounts/login/"),
        (None, "/accounts/password_reset/"),
        (None, "/api/docs/"),
        (None, "/ogc/?f=html"),
        (None, "/ogc/collections?f=html"),
        (None, "/ogc/conformance?f=html"),
        (None, "/ogc/collections/locations?f=html"),
        (None, "/ogc/collections/locations/queryables?f=html"),
        (None, "/ogc/collections/locations/items?f=html&limit=5"),
        (None, f"/ogc/collections/locations/items/{location.pk}?f=html"),
        ("bewoner", f"/locaties/{open_contract.location_id}/aanmelden/"),
        ("bewoner", f"/locaties/{contract.location_id}/voorwaarden/"),
        ("bewoner", "/initiatief/"),
        ("bewoner", f"/initiatief/{initiative.pk}/meedoen/{initiative.invite_token}/"),
        ("bewoner", "/mijn-zelfbeheer/"),
        ("bewoner", f"/contracten/{contract.pk}/"),
        ("bewoner", "/account/"),
        ("bewoner", "/account/wachtwoord/"),
        ("bewoner", "/account/verwijderen/"),
        ("vrijwilliger", f"/groepen/{group.pk}/"),
        ("regisseur", "/regisseur/"),
        ("regisseur", f"/locaties/{offerable.pk}/aanbieden/"),
        ("regisseur", f"/locaties/{offered.pk}/aanbod/"),
        ("regisseur", f"/locaties/{offered.pk}/aanbod/voorwaarden/"),
        ("regisseur", f"/locaties/{offered.pk}/aanbod/stoppen/"),
        ("regisseur", f"/eigenaren/{offered.owner.slug}/waarde/"),
        (None, "/eigenaren/hilverhof/waarde/?gebied=complex"),
        ("regisseur", f"/eigenaren/{offered.owner.slug}/waarde/regisseur/"),
        ("regisseur", f"/eigenaren/{offered.owner.slug}/kosten/"),
        ("admin", "/admin/"),
        ("admin", f"/admin/locations/location/{location.pk}/change/"),
        ("admin", f"/admin/importers/source/{source.pk}/change/"),
        ("admin", f"/admin/importers/importrun/{run.pk}/change/"),
        ("gisbeheer", "/admin/"),
        (None, "/ondersteuning/"),
        ("beheerder", f"/groepen/{group.pk}/ondersteuning/"),
        ("regisseur", f"/groepen/{group.pk}/ondersteuning/"),
        ("hovenier", "/ondersteuning/postvak/"),
        ("bewoner", "/ondersteuning/aanmelden/"),
        ("regisseur", "/regisseur/ondersteuning/"),
        ("beheerder", f"/groepen/{group.pk}/budget/"),
        ("regisseur", f"/groepen/{group.pk}/budget/"),
        ("regisseur", "/regisseur/budgetten/"),
        (None, "/initiatieven/"),
        (None, f"/initiatief/{initiative.pk}/"),
        ("bewoner", f"/initiatief/{initiative.pk}/"),
        ("regisseur", f"/initiatief/{initiative.pk}/"),
        ("regisseur", "/regisseur/professionals/"),
    ]
    if thread is not None:
        pages.append(("vrijwilliger", f"/groepen/{group.pk}/forum/{thread.pk}/"))
    return pages + _mail_link_pages(group)


def _mail_link_pages(group: Group) -> list[Page]:
    """The links our mails carry, made as the mails make them (anonymous: a mail is opened anywhere)."""
    waiting = account_register(name="Nieuw", email="nieuw@example.org", password="Lange-zin-met-bomen", send_mail=False)
    assert waiting.pending_since is not None
    confirm = tokens.registration_token(
        user_id=waiting.pk, pending_since=waiting.pending_since.isoformat(), next_url=""
    )
    resident = User.objects.get(username="bewoner")
    new_address = tokens.email_change_token(
        user_id=resident.pk, old_email=resident.email, new_email="nieuw-adres@example.org"
    )
    volunteer = User.objects.get(username="vrijwilliger")
    return [
        (None, f"/account/bevestigen/{confirm}/"),
        (None, f"/account/e-mailadres/{new_address}/"),
        (None, f"/groepen/afmelden/{unsubscribe_token(group_id=group.pk, user_id=volunteer.pk)}/"),
        (None, "/accounts/password_reset/done/"),
        (None, "/accounts/reset/done/"),
    ]
