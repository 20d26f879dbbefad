"""The regisseur's dashboard: only their own owner's work, conflicts on a map, decisions in one click."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, ManagerSignup, Offering, TermsVersion
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import SmtpServer, rd_square
from tests.web.conftest import TABLE_REGIONS, log_in, logged_in, split_words_in_tables
from web.views.regisseur import WAITING_LIMIT


def box(x0: float, y0: float, x1: float, y1: float) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((x0, y0, x1, y1)), srid=settings.STORAGE_SRID)


@pytest.fixture
def active_contract(owner_a: Owner) -> Contract:
    location = Location.objects.create(owner=owner_a, name="Hofje", geometry=rd_square(130000, 480000, 40))
    offering = Offering.objects.create(location=location, conditions="Geen gif.")
    terms = TermsVersion.objects.create(offering=offering, number=1, text="Geen gif.")
    return Contract.objects.create(
        location=location,
        geometry=location.geometry,
        terms_version=terms,
        status=Contract.Status.ACTIVE,
        starts_on=dt.date.today() - dt.timedelta(days=30),
    )


def initiative(owner: Owner, by: User, geometry: MultiPolygon, text: str) -> Initiative:
    item = Initiative.objects.create(owner=owner, geometry=geometry, description=text, created_by=by)
    item.initiators.add(by)
    return item


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get("/regisseur/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_residents_and_gis_admins_get_403(resident: User, gis_admin_a: User) -> None:
    assert logged_in(resident).get("/regisseur/").status_code == 403
    assert logged_in(gis_admin_a).get("/regisseur/").status_code == 403


@pytest.mark.django_db
def test_a_regisseur_sees_only_the_initiatives_of_their_own_owner(
    regisseur_a: User, owner_a: Owner, owner_b: Owner, resident: User
) -> None:
    initiative(owner_a, resident, rd_square(131000, 481000, 10), "Geveltuin Aadorp")
    initiative(owner_b, resident, rd_square(132000, 482000, 10), "Binnentuin Bebouw")
    text = logged_in(regisseur_a).get("/regisseur/").content.decode()
    assert "Geveltuin Aadorp" in text and "Binnentuin Bebouw" not in text
    assert "resident_one@example.org" in text and "0612345678" in text  # contact details to call them


@pytest.mark.django_db
def test_it_shows_the_conflict_of_an_initiative_with_an_active_contract(
    regisseur_a: User, owner_a: Owner, resident: User, active_contract: Contract
) -> None:
    initiative(owner_a, resident, box(130020, 480000, 130060, 480040), "Half over het hofje")
    response = logged_in(regisseur_a).get("/regisseur/")
    text = response.content.decode()
    assert f"contract {active_contract.pk} (Hofje, 800 m²)" in text
    kinds = [f["properties"]["kind"] for f in response.context["map_data"]["features"]]
    assert sorted(kinds) == ["conflict", "initiative"]


@pytest.mark.django_db
def test_it_lists_contracts_whose_threshold_was_reached(regisseur_a: User, owner_a: Owner) -> None:
    location = Location.objects.create(owner=owner_a, name="Rotonde Zuid", geometry=rd_square(133000, 483000, 30))
    offering = Offering.objects.create(location=location, conditions="x")
    terms = TermsVersion.objects.create(offering=offering, number=1, text="x")
    Contract.objects.create(
        location=location, geometry=location.geometry, terms_version=terms, threshold_reached_at=dt.datetime.now(dt.UTC)
    )
    text = logged_in(regisseur_a).get("/regisseur/").content.decode()
    assert "Rotonde Zuid" in text


def waiting_contract(owner: Owner, name: str, geometry: MultiPolygon) -> Contract:
    """An open contract whose threshold was reached, on a location of its own."""
    location = Location.objects.create(owner=owner, name=name, geometry=geometry)
    offering = Offering.objects.create(location=location, conditions="x")
    terms = TermsVersion.objects.create(offering=offering, number=1, text="x")
    return Contract.objects.create(
        location=location, geometry=geometry, terms_version=terms, threshold_reached_at=dt.datetime.now(dt.UTC)
    )


def _dashboard_queries(user: User) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = logged_in(user).get("/regisseur/")
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.django_db
def test_the_dashboard_asks_no_query_per_decision(
    regisseur_a: User, owner_a: Owner, resident: User, active_contract: Contract
) -> None:
    """A municipality can have hundreds of decisions waiting: their conflicts are found with the list."""
    initiative(owner_a, resident, box(130020, 480000, 130060, 480040), "Half over het hofje")
    waiting_contract(owner_a, "Rotonde Zuid", rd_square(133000, 483000, 30))
    few, _ = _dashboard_queries(regisseur_a)
    for i in range(5):
        initiative(owner_a, resident, box(130030, 480000 + i, 130070, 480040), f"Ook over het hofje {i}")
        initiative(owner_a, resident, rd_square(131000 + 100 * i, 481000, 10), f"Vrij plekje {i}")
        waiting_contract(owner_a, f"Berm {i}", box(130010, 480010, 130020 + i, 480020))
    many, text = _dashboard_queries(regisseur_a)
    assert many == few
    # The conflicts are still there, each with its own overlap.
    assert text.count(f"contract {active_contract.pk} (Hofje, ") == 11
    assert "Ook over het hofje 4" in text and "Vrij plekje 4" in text and "Berm 4" in text
    assert f"contract {active_contract.pk} (Hofje, 800 m²)" in text
    assert f"contract {active_contract.pk} (Hofje, 140 m²)" in text  # Berm 4: 14 x 10 m


def offered(
    owner: Owner, name: str, geometry: MultiPolygon, *, needed: int = 2, signed: Sequence[User] = ()
) -> Offering:
    """An offering open for sign-ups since a month ago until in a year, with `signed` signed up as managers."""
    location = Location.objects.create(owner=owner, name=name, geometry=geometry)
    offering = Offering.objects.create(
        location=location,
        conditions="x",
        managers_needed=needed,
        offered_from=dt.date(2026, 11, 1),
        offered_until=dt.date.today() + dt.timedelta(days=365),
    )
    terms = TermsVersion.objects.create(offering=offering, number=1, text="x")
    if signed:
        contract = Contract.objects.create(location=location, geometry=geometry, terms_version=terms)
        for user in signed:
            ManagerSignup.objects.create(contract=contract, user=user, plan="Maaien.")
    return offering


def waiting_section(text: str) -> str:
    start = text.index('id="waiting"')
    return text[start : text.index("</section>", start)]


@pytest.mark.django_db
def test_offerings_waiting_for_managers_are_listed_with_who_signed(
    regisseur_a: User, regisseur_b: User, owner_a: Owner, owner_b: Owner, resident: User, resident_two: User
) -> None:
    grass = offered(owner_a, "Grasveld aan de rand", rd_square(134000, 484000, 20), signed=[resident])
    offered(owner_a, "Bloemenstrook", rd_square(134100, 484000, 20))
    offered(owner_b, "Binnentuin Hilverhof", rd_square(134200, 484000, 20), signed=[resident_two])
    full = offered(owner_a, "Vol veldje", rd_square(134300, 484000, 20), signed=[resident, resident_two])
    Contract.objects.filter(location=full.location).update(threshold_reached_at=dt.datetime.now(dt.UTC))
    stopped = offered(owner_a, "Gestopte berm", rd_square(134400, 484000, 20), signed=[resident_two])
    Offering.objects.filter(pk=stopped.pk).update(stopped_at=dt.datetime.now(dt.UTC))
    stopped.location.refresh_from_db()
    assert stopped.location.status == Location.Status.UNAVAILABLE  # the trigger followed the stop

    section = waiting_section(logged_in(regisseur_a).get("/regisseur/").content.decode())
    assert "Aangeboden, wacht op beheerders (2)" in section
    assert "Grasveld aan de rand" in section and "1 van 2: Riet Eerste" in section  # the full name
    assert "Bloemenstrook" in section and "0 van 2" in section
    assert f'href="/locaties/{grass.location_id}/aanbod/"' in section
    assert f'href="/locaties/{grass.location_id}/"' in section
    assert "sinds 1 november 2026" in section
    # Reached its threshold (on the list of decisions), stopped, or another owner's: not here.
    assert "Vol veldje" not in section and "Gestopte berm" not in section
    assert "Binnentuin Hilverhof" not in section and "Ruud" not in section

    section_b = waiting_section(logged_in(regisseur_b).get("/regisseur/").content.decode())
    assert "Binnentuin Hilverhof" in section_b and "1 van 2: Ruud Tweede" in section_b
    assert "Grasveld" not in section_b and "Bloemenstrook" not in section_b


@pytest.mark.django_db
def test_offerings_not_open_today_stay_listed_with_why(regisseur_a: User, owner_a: Owner) -> None:
    today = dt.date.today()
    later = offered(owner_a, "Speelplek later", rd_square(137000, 484000, 20))
    Offering.objects.filter(pk=later.pk).update(offered_from=today + dt.timedelta(days=10))
    over = offered(owner_a, "Berm voorbij", rd_square(137100, 484000, 20))
    Offering.objects.filter(pk=over.pk).update(offered_until=today - dt.timedelta(days=1))
    assert set(Location.objects.values_list("status", flat=True)) == {Location.Status.UNAVAILABLE}
    section = waiting_section(logged_in(regisseur_a).get("/regisseur/").content.decode())
    assert "Aangeboden, wacht op beheerders (2)" in section
    assert "Speelplek later" in section and "aanmelden kan vanaf" in section
    assert "Berm voorbij" in section and "de periode is voorbij" in section


@pytest.mark.django_db
def test_the_waiting_offerings_cost_the_same_queries_for_many_and_say_when_cut(
    regisseur_a: User, owner_a: Owner, resident: User, resident_two: User
) -> None:
    offered(owner_a, "Veld 000", rd_square(135000, 485000, 10), signed=[resident])
    few, _ = _dashboard_queries(regisseur_a)
    for i in range(1, 8):
        offered(
            owner_a, f"Veld {i:03}", rd_square(135000 + 30 * i, 485000, 10), signed=[resident, resident_two][: i % 3]
        )
    many, text = _dashboard_queries(regisseur_a)
    assert many == few
    assert "Veld 007" in waiting_section(text)

    # Past the cap: the first ones by name, and the page says how many there are (one query more, to count).
    for i in range(8, WAITING_LIMIT + 2):  # 52 in all
        Offering.objects.create(
            location=Location.objects.create(
                owner=owner_a, name=f"Veld {i:03}", geometry=rd_square(136000 + 30 * i, 485000, 10)
            ),
            conditions="x",
        )
    capped, text = _dashboard_queries(regisseur_a)
    assert capped <= few + 1
    section = waiting_section(text)
    assert f"Aangeboden, wacht op beheerders ({WAITING_LIMIT + 2})" in section
    assert f"De eerste {WAITING_LIMIT} van {WAITING_LIMIT + 2}, op naam." in section
    assert f"Veld {WAITING_LIMIT - 1:03}" in section and f"Veld {WAITING_LIMIT:03}" not in section


@pytest.mark.browser
def test_a_regisseur_rejects_an_initiative_with_a_reason_in_one_click(
    page: Any,
    live_server: Any,
    regisseur_a: User,
    owner_a: Owner,
    resident: User,
    smtp_server: SmtpServer,
    celery_worker: str,
) -> None:
    smtp_server.clear()
    item = initiative(owner_a, resident, rd_square(131000, 481000, 10), "Bankje bij de vijver")
    log_in(page, live_server, regisseur_a)
    page.goto(f"{live_server.url}/regisseur/")
    assert page.locator("#dashboard-map path.leaflet-interactive").count() == 1
    page.fill(f"#reason-initiative-{item.pk}", "Hier komt een fietspad.")
    page.click(f"#initiative-{item.pk} button.reject")
    page.wait_for_selector(f"#initiative-{item.pk}", state="detached")
    # The section counts what is left and says nothing is ("Bewonersinitiatieven (1)" stayed, over nothing).
    expect(page.locator("#h-initiatives")).to_have_text("Bewonersinitiatieven (0)")
    expect(page.locator("section:has(#h-initiatives) .nothing")).to_be_visible()
    # And off the map: its shape stayed there until the page was loaded again.
    expect(page.locator("#dashboard-map path.leaflet-interactive")).to_have_count(0)
    item.refresh_from_db()
    assert (item.status, item.rejection_reason) == (Initiative.Status.REJECTED, "Hier komt een fietspad.")
    mails = [m for m in smtp_server.wait_for(1) if m["To"] == "resident_one@example.org"]
    assert any("Hier komt een fietspad." in m.get_content() for m in mails)


@pytest.mark.browser
def test_a_regisseur_approves_an_initiative_in_one_click_and_its_group_exists(
    page: Any, live_server: Any, regisseur_a: User, owner_a: Owner, resident: User, celery_worker: str
) -> None:
    item = initiative(owner_a, resident, rd_square(131000, 481000, 10), "Moestuin achter de school")
    log_in(page, live_server, regisseur_a)
    page.goto(f"{live_server.url}/regisseur/")
    page.click(f"#initiative-{item.pk} button.approve")
    page.wait_for_selector(f"#initiative-{item.pk}", state="detached")
    assert page.locator("#decision-status").inner_text() == "Goedgekeurd. Bekijk het contract"
    item.refresh_from_db()
    assert item.status == Initiative.Status.APPROVED
    link = page.get_by_role("link", name="Bekijk het contract")
    assert link.get_attribute("href") == f"/contracten/{item.contract_id}/"
    group = item.contract.group  # type: ignore[union-attr]
    assert list(group.members.values_list("user__username", flat=True)) == ["resident_one"]


@pytest.mark.browser
def test_a_regisseur_approves_a_contract_whose_threshold_was_reached_and_its_group_starts(
    page: Any,
    live_server: Any,
    regisseur_a: User,
    owner_a: Owner,
    resident: User,
    resident_two: User,
    celery_worker: str,
) -> None:
    from gis_service.contracts.services.signup import manager_sign_up

    location = Location.objects.create(
        owner=owner_a, name="Boomspiegels Dorpsstraat", geometry=rd_square(134000, 484000, 12)
    )
    offering = Offering.objects.create(location=location, conditions="Geen gif.", managers_needed=2)
    terms = TermsVersion.objects.create(offering=offering, number=1, text="Geen gif.")
    for user in (resident, resident_two):
        manager_sign_up(location=location, user=user, terms_version=terms, plan="Bloemen", accept_terms=True)
    contract = Contract.objects.get(location=location)
    log_in(page, live_server, regisseur_a)
    page.goto(f"{live_server.url}/regisseur/")
    article = page.locator(f"#contract-{contract.pk}")
    assert "Bloemen" in article.inner_text() and "0687654321" in article.inner_text()
    article.get_by_role("button", name="Goedkeuren").click()
    page.wait_for_selector(f"#contract-{contract.pk}", state="detached")
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE
    assert set(contract.group.members.values_list("user__username", flat=True)) == {"resident_one", "resident_two"}


@pytest.mark.browser
def test_a_residents_text_on_the_dashboard_map_stays_text(
    page: Any, live_server: Any, regisseur_a: User, owner_a: Owner, resident: User
) -> None:
    """Stored XSS: the map's tooltips show an initiative's description (the resident's words) and a
    location's name (imported data); markup in them must not run in the regisseur's session, where
    it could approve or reject anything for the owner with one fetch."""
    attack = '<img src="x" onerror="document.body.dataset.pwned = 1">Bankje'
    initiative(owner_a, resident, rd_square(131000, 481000, 10), attack)
    log_in(page, live_server, regisseur_a)
    page.goto(f"{live_server.url}/regisseur/")
    page.hover("#dashboard-map path.leaflet-interactive")
    tooltip = page.wait_for_selector(".leaflet-tooltip")
    assert tooltip.inner_text() == attack
    assert page.locator(".leaflet-tooltip img").count() == 0
    assert page.evaluate("document.body.dataset.pwned") is None


@pytest.mark.browser
def test_the_offer_button_keeps_its_word_whole_on_a_phone(
    phone_page: Any, live_server: Any, regisseur_a: User, green_strip: Location, resident: User
) -> None:
    offered(green_strip.owner, "Grasveld aan de rand", rd_square(134000, 484000, 20), signed=[resident])
    log_in(phone_page, live_server, regisseur_a)
    phone_page.goto(f"{live_server.url}/regisseur/")
    button = phone_page.locator("#h-offer ~ * a.button", has_text="Aanbieden").first
    # One line: the cells' overflow-wrap:anywhere split it as "Aanbi / eden" in a 390 px table.
    lines = button.evaluate(
        "b => { const r = document.createRange(); r.selectNodeContents(b);"
        " return new Set([...r.getClientRects()].map(c => Math.round(c.top))).size; }"
    )
    assert lines == 1
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    # The offerings waiting for managers show on the phone too, without sideways scrolling.
    expect(phone_page.locator("#waiting-list")).to_contain_text("1 van 2: Riet Eerste")
    assert phone_page.locator("#waiting").evaluate("s => s.scrollWidth <= s.clientWidth")


@pytest.mark.browser
def test_each_colour_of_the_dashboard_legend_stays_beside_its_words_on_a_phone(
    phone_page: Any, live_server: Any, regisseur_a: User
) -> None:
    log_in(phone_page, live_server, regisseur_a)
    phone_page.goto(f"{live_server.url}/regisseur/")
    # The legend wrapped between a colour and its words: the red square ended the line of "wacht op
    # besluit", and "overlap met een lopend contract" began the next line without it.
    apart = phone_page.evaluate(
        """() => [...document.querySelectorAll('.legend .swatch')].map(swatch => {
            const words = document.createRange();
            words.selectNodeContents(swatch.nextSibling);
            const first = words.getClientRects()[0], square = swatch.getBoundingClientRect();
            const middle = (rect) => rect.top + rect.height / 2;
            return [swatch.nextSibling.textContent, Math.abs(middle(first) - middle(square))];
        }).filter(([, offset]) => offset > 8)"""
    )
    assert apart == []


@pytest.mark.browser
def test_the_dashboards_tables_keep_their_words_whole_on_a_phone(
    phone_page: Any,
    live_server: Any,
    regisseur_a: User,
    owner_a: Owner,
    resident: User,
    active_contract: Contract,
    green_strip: Location,
) -> None:
    item = initiative(owner_a, resident, rd_square(131000, 481000, 10), "Bankje bij de vijver")
    plantsoen = Location.objects.create(
        owner=owner_a, name="Buurtplantsoen Oosterpark", geometry=rd_square(134000, 484000, 30)
    )
    Contract.objects.create(
        location=plantsoen,
        geometry=plantsoen.geometry,
        terms_version=active_contract.terms_version,
        status=Contract.Status.ENDED,
        starts_on=dt.date.today() - dt.timedelta(days=400),
        ended_at=dt.datetime.now(dt.UTC),
        end_reason="Verhuisd naar Groningen",
    )
    log_in(phone_page, live_server, regisseur_a)
    phone_page.goto(f"{live_server.url}/regisseur/")
    expect(phone_page.locator(f"#initiative-{item.pk} td")).to_contain_text(["Riet Eerste"])
    # The cells' overflow-wrap:anywhere split the people's "Contac / t" and e-mail addresses, and
    # running contracts' places ("Buurtp / lantso / en"), to fit 390 px. Each table now scrolls in a
    # region of its own, named by its heading and reachable by keyboard, and the page does not.
    assert split_words_in_tables(phone_page, "main") == []
    assert phone_page.evaluate(TABLE_REGIONS, "main") == [
        "Bankje bij de vijver",
        "Lopende contracten (1)",
        "Beëindigd",
        "Locaties aanbieden",
    ]
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
