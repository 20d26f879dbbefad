"""The demo's story, built through the real services so every status follows the rule
(locations/sql/status.sql) and every row is what the product itself would have written.

Gemeente Hilversum offers four of its BGT locations: one is managed by residents (an active
contract whose group has news, a forum thread, agenda items and tasks, one taken by a volunteer),
one waits for a second manager, two wait for their first. A resident's initiative waits for the
regisseur's decision. Woonstichting Hilverhof, a housing corporation with its own regisseur,
has three locations of its own entered by hand: one offered, one managed by a tenant under an
active contract (so the corporation's value report has something to show). The support pool holds a
gardener (paid per hour) and a community organiser (free); the managed group has vouchers and a
support budget, and has asked the gardener for advice. It also has a groenbudget (seed 003) with
two expenses, one receipt a photo and one a PDF. For the value report, the municipality has three
neighbourhoods and the corporation one complex of 64 households (demo shapes, not CBS's buurten).

Idempotent: each step looks first whether its result is there, so a second run changes nothing
(and a step a demo user has since undone by hand is done again, which is what a demo wants).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from gis_service.accounts.models import User
from gis_service.budgets import services as budgets
from gis_service.budgets.models import Grant
from gis_service.contracts.models import Contract, ManagerSignup, Offering
from gis_service.contracts.services.decisions import contract_approve
from gis_service.contracts.services.offering import offering_create
from gis_service.contracts.services.signup import manager_sign_up
from gis_service.groups import services as groups
from gis_service.groups.models import Group, Task
from gis_service.initiatives.models import Initiative
from gis_service.initiatives.services import help_offer_create, initiative_post_create, initiative_submit
from gis_service.locations.models import Location
from gis_service.locations.services import location_change, location_create
from gis_service.owners.models import Owner, ValueArea
from gis_service.owners.services import AreaBatch, value_areas_load
from gis_service.support import services as support
from gis_service.support.models import LedgerEntry, Supporter, SupportRequest

TERMS = """Zelfbeheerovereenkomst {name}

1. De beheerders houden de plek netjes en veilig, zoals in hun plan beschreven.
2. Geen chemische bestrijdingsmiddelen en geen kunstmest.
3. Bomen blijven van de eigenaar; snoeien van bomen doet de eigenaar.
4. Aan het einde van de overeenkomst wordt de oorspronkelijke staat hersteld, tenzij anders afgesproken.
5. Beide partijen kunnen de overeenkomst met een maand opzegtermijn beëindigen.
"""


@dataclass(frozen=True)
class DemoPlace:
    """A BGT location of the fixture (by its lokaalID) and the name the demo gives it."""

    external_id: str
    name: str


# Chosen from fixtures/bgt/bgt_begroeidterreindeel_hilversum.gml: green areas of 2,000–6,000 m²
# that do not touch each other. The BGT names none of its objects; the demo names these.
MANAGED = DemoPlace("L0004.a352900384002301e05332a1e90aa99d", "Buurtplantsoen")
WAITING_FOR_MANAGERS = DemoPlace("G0402.11d3af7af62e4e77958df6ea55c72735", "Grasveld aan de rand")
# Offered and waiting for their first manager, with a budget (€) for managers or none.
OFFERED = [
    (DemoPlace("G0402.6886d8ce271b453e827728e55578edb5", "Bloemenstrook"), Decimal("250")),
    (DemoPlace("L0003.03a55bcb9aff47aea24b46df4d27ed2c", "Heesterperk"), None),
]
INITIATIVE = DemoPlace("L0004.c3a65b08c5bc47c791c1fa60202ccb4f", "Veldje achter de school")
INITIATIVE_PLAN = "Wij willen van dit veldje een bloemenweide maken, met een bankje voor de buurt."

# Hand-entered locations of the housing corporation: in Hilversum, on ground no BGT object of the
# fixture comes within 15 m of (lower-left corner and size in RD metres).
CORPORATION_PLACES = [
    ("Binnentuin Hilverhof", "binnentuin", (140850, 466800, 35, 35)),
    ("Speelplek Hilverhof", "speelplek", (140950, 466800, 30, 20)),
    ("Geveltuinen Hilverhof", "geveltuin", (141000, 466900, 40, 8)),
]


def _bgt_location(owner: Owner, place: DemoPlace) -> Location:
    location = Location.objects.filter(owner=owner, external_id=place.external_id).first()
    if location is None:
        raise ImproperlyConfigured(f"demo: BGT object {place.external_id} is missing; was the BGT fixture changed?")
    if not location.name:
        location = location_change(location=location, name=place.name)
    return location


def _offer(location: Location, *, by: User, **kwargs: Any) -> Offering:
    offering = Offering.objects.filter(location=location).first()
    if offering is not None:
        return offering
    return offering_create(location=location, by=by, terms_text=TERMS.format(name=location.name), **kwargs)


def _sign_up(location: Location, offering: Offering, user: User, plan: str) -> None:
    signed = ManagerSignup.objects.filter(contract__location=location, user=user, withdrawn_at__isnull=True)
    if not signed.exists():
        terms = offering.current_terms()
        assert terms is not None
        manager_sign_up(location=location, user=user, terms_version=terms, plan=plan, accept_terms=True)


def _managed_project(owner: Owner, users: dict[str, User]) -> Group:
    regisseur, manager, resident = users["regisseur"], users["beheerder"], users["bewoner"]
    location = _bgt_location(owner, MANAGED)
    offering = _offer(
        location,
        by=regisseur,
        conditions="Geen chemische middelen. Bomen blijven van de gemeente. Het pad blijft vrij.",
        managers_needed=2,
        contract_months=24,
        support=["materiaal", "kennis"],
        support_notes="Plantgoed en compost van de gemeentewerf; een groenadviseur komt op verzoek langs.",
    )
    if not Contract.objects.filter(location=location, status=Contract.Status.ACTIVE).exists():
        _sign_up(location, offering, manager, "Een bloemrijke border en een picknicktafel.")
        _sign_up(location, offering, resident, "Ik help met wieden en water geven.")
        contract_approve(contract=Contract.objects.get(location=location, status=Contract.Status.OPEN), by=regisseur)
    group = Group.objects.get(location=location, contract__status=Contract.Status.ACTIVE)
    if not group.news.exists():
        groups.news_post(
            group=group,
            author=manager,
            title="De eerste plantdag was een succes",
            body="Met twaalf buren hebben we zaterdag 300 bollen en 40 vaste planten gezet. Dank jullie wel!",
        )
    if not group.threads.exists():
        thread = groups.forum_thread_start(
            group=group, author=resident, title="Wie heeft er een kruiwagen?", body="Voor de compost van volgende week."
        )
        groups.forum_reply(thread=thread, author=manager, body="Ik breng de mijne mee, en twee schoffels.")
    if not group.agenda.exists():
        soon = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
        groups.agenda_add(
            group=group, user=manager, title="Wieden en water geven", starts_at=soon + dt.timedelta(days=7),
            place="Bij de picknicktafel", description="Handschoenen en gereedschap liggen klaar.",
        )  # fmt: skip
        groups.agenda_add(
            group=group, user=manager, title="Buurtborrel in het plantsoen", starts_at=soon + dt.timedelta(days=21),
            place="Buurtplantsoen",
        )  # fmt: skip
    if not group.tasks.exists():
        groups.task_add(group=group, user=manager, title="Zwerfvuil prikken", description="Langs het fietspad.")
        groups.task_add(group=group, user=manager, title="Onkruid wieden in de border")
        groups.task_add(group=group, user=manager, title="Bankje schuren en oliën")
    volunteer = users["vrijwilliger"]
    groups.group_join(group=group, user=volunteer)
    if not group.tasks.filter(taken_by=volunteer).exists():
        task = group.tasks.filter(title="Zwerfvuil prikken", status=Task.Status.OPEN).first()
        if task is not None:
            groups.task_take(task=task, user=volunteer)
    return group


def _initiative(owner: Owner, resident: User) -> Initiative:
    location = _bgt_location(owner, INITIATIVE)
    waiting = Initiative.objects.filter(created_by=resident, description=INITIATIVE_PLAN).first()
    if waiting is not None:
        return waiting
    return initiative_submit(user=resident, description=INITIATIVE_PLAN, location_ids=[location.pk])


def _initiative_discussion(initiative: Initiative, users: dict[str, User]) -> None:
    """A neighbour's post and a professional's help offer on the open initiative."""
    if not initiative.posts.exists():
        initiative_post_create(
            initiative=initiative,
            author=users["vrijwilliger"],
            body="Mooi plan! Ik woon om de hoek en help graag mee met planten.",
        )
    if not initiative.help_offers.exists():
        help_offer_create(
            initiative=initiative,
            professional=users["groenadviseur"],
            function="groenadviseur",
            offer="Ik kom langs om te kijken welke inheemse planten hier passen, en denk mee over het onderhoud.",
        )


# Areas of the value report, as (code, name, households, (xmin, ymin, xmax, ymax) in RD metres):
# bands across the BGT fixture's extent for the municipality, the block around its places for the
# corporation. Made-up shapes with codes no CBS buurt has, so no one mistakes them for real ones.
DEMO_BUURTEN = [
    ("DEMO-Z", "Zuid (demo)", None, (139500, 465500, 142700, 466600)),
    ("DEMO-M", "Midden (demo)", None, (139500, 466600, 142700, 467800)),
    ("DEMO-N", "Noord (demo)", None, (139500, 467800, 142700, 469200)),
]
DEMO_COMPLEXES = [("HH-01", "Complex Hilverhof (demo)", 64, (140800, 466750, 141100, 466950))]


def _value_areas(municipality: Owner, corporation: Owner) -> None:
    for owner, kind, areas in (
        (municipality, ValueArea.Kind.BUURT, DEMO_BUURTEN),
        (corporation, ValueArea.Kind.COMPLEX, DEMO_COMPLEXES),
    ):
        batch = AreaBatch(
            srid=settings.STORAGE_SRID,
            codes=[code for code, _name, _households, _box in areas],
            names=[name for _code, name, _households, _box in areas],
            households=[households for _code, _name, households, _box in areas],
            wkbs=[bytes(Polygon.from_bbox(box).wkb) for _code, _name, _households, box in areas],
        )
        value_areas_load(owner=owner, kind=kind, batches=[batch])


def _corporation_locations(corporation: Owner, users: dict[str, User]) -> list[Location]:
    regisseur = users["corporatie"]
    locations = []
    for name, kind, (x, y, width, height) in CORPORATION_PLACES:
        location = Location.objects.filter(owner=corporation, name=name, source__isnull=True).first()
        if location is None:
            ring = ((x, y), (x + width, y), (x + width, y + height), (x, y + height), (x, y))
            geometry = MultiPolygon(Polygon(ring), srid=settings.STORAGE_SRID)
            location = location_create(owner_id=corporation.pk, name=name, type=kind, geometry=geometry)
        locations.append(location)
    _offer(
        locations[0],
        by=regisseur,
        conditions="Alleen voor bewoners van het complex. Geen bouwwerken; de speelplek blijft vrij toegankelijk.",
        managers_needed=3,
        budget_eur=Decimal("500"),
        reward="Een jaarlijkse bijdrage voor plantgoed",
        support=["budget", "gereedschap"],
    )
    _tenants_manage(locations[2], regisseur=regisseur, tenant=users["huurder"])
    return locations


def _tenants_manage(location: Location, *, regisseur: User, tenant: User) -> None:
    """The facade gardens, offered to one tenant of the complex and approved: the corporation's
    active contract inside its complex."""
    if Contract.objects.filter(location=location, status=Contract.Status.ACTIVE).exists():
        return
    offering = _offer(
        location,
        by=regisseur,
        conditions="Alleen voor bewoners van het complex. Planten in de geveltuin, niet tegen de gevel aan.",
        managers_needed=1,
        contract_months=24,
        support=["materiaal"],
    )
    _sign_up(location, offering, tenant, "Geveltuintjes met klimplanten en lavendel langs de voordeuren.")
    contract_approve(contract=Contract.objects.get(location=location, status=Contract.Status.OPEN), by=regisseur)


@transaction.atomic
def demo_story_ensure(*, municipality: Owner, corporation: Owner, users: dict[str, User]) -> None:
    """Builds the demo's offers, contract, group, initiative and corporation locations when missing."""
    regisseur = users["regisseur"]
    _managed_project(municipality, users)
    waiting = _bgt_location(municipality, WAITING_FOR_MANAGERS)
    offering = _offer(
        waiting,
        by=regisseur,
        conditions="Maaien mag, ophogen niet. Het gras blijft speelbaar.",
        managers_needed=2,
        reward="Een bloembollenpakket per jaar",
        support=["materiaal"],
    )
    _sign_up(waiting, offering, users["beheerder"], "Een bloemenrand langs het veld en twee appelbomen.")
    for place, budget in OFFERED:
        location = _bgt_location(municipality, place)
        support = ["budget"] if budget else ["kennis"]
        _offer(location, by=regisseur, conditions="Geen chemische middelen.", budget_eur=budget, support=support)
    _initiative_discussion(_initiative(municipality, users["bewoner"]), users)
    _corporation_locations(corporation, users)
    _support(municipality, corporation, users)
    _budget(users)
    _value_areas(municipality, corporation)


def _receipt_photo() -> SimpleUploadedFile:
    """A small picture standing in for a photographed till receipt."""
    out = io.BytesIO()
    Image.new("RGB", (60, 90), (245, 245, 235)).save(out, "JPEG")
    return SimpleUploadedFile("bon.jpg", out.getvalue(), content_type="image/jpeg")


DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _budget(users: dict[str, User]) -> None:
    """The managed group's groenbudget (seed 003) with two expenses, a photo and a PDF receipt, and an
    ended spring budget whose accounts wait for the regisseur."""
    group = Group.objects.get(location__external_id=MANAGED.external_id, contract__status=Contract.Status.ACTIVE)
    if Grant.objects.filter(group=group).exists():
        return
    today = timezone.localdate()
    grant = budgets.grant_create(
        group=group, by=users["regisseur"], amount=Decimal("750"), purpose="Groenbudget: plantgoed en gereedschap",
        starts_on=today - dt.timedelta(days=60), ends_on=today + dt.timedelta(days=300),
    )  # fmt: skip
    budgets.expense_record(
        grant=grant, by=users["beheerder"], spent_on=today - dt.timedelta(days=40), amount=Decimal("184.60"),
        description="Vaste planten voor de border (tuincentrum)", receipt=_receipt_photo(),
    )  # fmt: skip
    budgets.expense_record(
        grant=grant, by=users["beheerder"], spent_on=today - dt.timedelta(days=10), amount=Decimal("62.35"),
        description="Twee schoffels en een hark",
        receipt=SimpleUploadedFile("factuur.pdf", DEMO_PDF, content_type="application/pdf"),
    )  # fmt: skip
    # A spring budget whose period has ended: its accounts wait for the regisseur's decision, so the
    # demo shows that step too (the current one's opens only on its last day).
    spring = budgets.grant_create(
        group=group, by=users["regisseur"], amount=Decimal("250"), purpose="Voorjaarsbudget: bollen planten",
        starts_on=today - dt.timedelta(days=200), ends_on=today - dt.timedelta(days=100),
    )  # fmt: skip
    budgets.expense_record(
        grant=spring, by=users["beheerder"], spent_on=today - dt.timedelta(days=150), amount=Decimal("118.40"),
        description="Bloembollen (krokussen en narcissen)", receipt=_receipt_photo(),
    )  # fmt: skip


def _supporter(owner: Owner, by: User, user: User, **profile: Any) -> Supporter:
    existing = Supporter.objects.filter(user=user).first()
    return existing or support.supporter_create(owner=owner, by=by, email=user.email, **profile)


def _support(municipality: Owner, corporation: Owner, users: dict[str, User]) -> None:
    """Two supporters in the pool; the managed group's vouchers, budget and a request waiting."""
    regisseur = users["regisseur"]
    gardener = _supporter(
        municipality, regisseur, users["hovenier"], name="Henk Hovenier", organisation="Groen & Co Hilversum",
        kind="hovenier", offers=["advies", "handen"], price_kind="per_uur", price_eur=Decimal("45"),
        description="Snoeien, beplantingsplannen en een handje helpen op werkdagen.",
    )  # fmt: skip
    organiser = _supporter(
        municipality, regisseur, users["buurtwerker"], name="Bo de Buurtwerker", organisation="Buurtwerk Hilversum",
        kind="buurtwerker", offers=["organiseren", "plan"], price_kind="gratis", areas=[corporation],
        description="Brengt buren bij elkaar en helpt met plannen en aanvragen; betaald door de gemeente.",
    )  # fmt: skip
    support.allow_list_add(owner=corporation, supporter=organiser, by=users["corporatie"])
    group = Group.objects.get(location__external_id=MANAGED.external_id, contract__status=Contract.Status.ACTIVE)
    if not LedgerEntry.objects.filter(group=group).exists():
        support.vouchers_issue(group=group, unit="voucher", amount=Decimal(5), by=regisseur, note="Startpakket")
        support.vouchers_issue(group=group, unit="euro", amount=Decimal(300), by=regisseur, note="Ondersteuningsbudget")
    if not SupportRequest.objects.filter(group=group).exists():
        support.support_ask(
            group=group, supporter=gardener, kind="advies", wanted_on=timezone.localdate() + dt.timedelta(days=10),
            message="Welke vaste planten houden het vol in de schaduw van de linde?", by=users["beheerder"],
        )  # fmt: skip
