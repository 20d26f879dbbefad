"""Journey 4, the regisseur decides and follows up: from the front page to an approval with dates
(and a clear refusal of an overlapping one), a running contract, a renewal of one that ends soon,
the reminder's link to the contract page (for the regisseur, and for a manager in a browser of
their own), and ground that a real re-sync moved under a contract, taken into it.

The locations come from a GeoPackage through the real importer; every mail goes through the real
worker to the real SMTP server and is followed from there. Once with Dutch browsers and once with
English ones, axe-core on every page (tests/web/journeys.py)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils.timezone import localdate
from playwright.sync_api import expect
from shapely.geometry import MultiPolygon, box

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract
from gis_service.contracts.services.decisions import contract_approve
from gis_service.contracts.services.offering import offering_create
from gis_service.contracts.services.signup import manager_sign_up
from gis_service.contracts.tasks import remind_ending
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import SmtpServer, rd_square
from tests.importers.conftest import resync, squares, sync, write_layer
from tests.web.conftest import phone_screenshot
from tests.web.journeys import AxeWalk, Texts, in_both_languages, speak

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "journeys"


def _rows(first: Any = None) -> list[dict[str, object]]:
    """Three municipal green areas, 10 × 10 m, 20 m apart; `first` replaces the first one's shape."""
    rows: list[dict[str, object]] = [
        {"guid": f"g{i + 1}", "naam": f"Veld {i + 1}", "geometry": MultiPolygon([poly])}
        for i, poly in enumerate(squares(3))
    ]
    if first is not None:
        rows[0]["geometry"] = MultiPolygon([first])
    return rows


def _offer(location: Location, regisseur: User, managers_needed: int) -> Any:
    offering = offering_create(
        location=location, by=regisseur, conditions="Geen gif.", terms_text="Versie 1: geen gif.",
        managers_needed=managers_needed,
    )  # fmt: skip
    return offering.current_terms()


def _link(smtp_server: SmtpServer, path: str) -> str:
    mail = smtp_server.wait_for(1)[-1]
    found = re.search(rf"https?://\S+{re.escape(path)}\S*", mail.get_content())
    assert found is not None, mail.get_content()
    return found[0]


@pytest.mark.browser
@in_both_languages
def test_a_regisseur_approves_with_dates_renews_follows_the_reminder_and_takes_moved_ground(
    locale: str,
    axe: AxeWalk,
    page: Any,
    other_page: Any,
    live_server: Any,
    owner_a: Owner,
    regisseur_a: User,
    resident: User,
    resident_two: User,
    smtp_server: SmtpServer,
    celery_worker: str,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.SITE_URL = live_server.url  # the links in the mails lead to this server
    today = localdate()
    path = write_layer(tmp_path / "groen.gpkg", _rows())
    run = sync(owner_a, path, id_field="guid", name_field="naam")
    veld = {loc.external_id: loc for loc in Location.objects.filter(source=run.source)}

    # Veld 1 waits for a decision: two managers signed up.
    terms = _offer(veld["g1"], regisseur_a, managers_needed=2)
    for user, plan in ((resident, "Vaste planten"), (resident_two, "Een bankje")):
        manager_sign_up(location=veld["g1"], user=user, terms_version=terms, plan=plan, accept_terms=True)
    waiting = Contract.objects.get(location=veld["g1"])
    # A border drawn by hand half over Veld 2 waits too (signed up before Veld 2 was approved).
    border = Location.objects.create(owner=owner_a, name="Rand bij Veld 2", geometry=rd_square(140025, 470000, 10))
    signup = manager_sign_up(location=border, user=resident_two, terms_version=_offer(border, regisseur_a, 1),
                             plan="Bloemen", accept_terms=True)  # fmt: skip
    overlapping = signup.contract
    # Veld 2 has been managed for almost a year and ends in ten days.
    terms_two = _offer(veld["g2"], regisseur_a, managers_needed=1)
    signup = manager_sign_up(location=veld["g2"], user=resident, terms_version=terms_two, plan="Maaien",
                             accept_terms=True)  # fmt: skip
    ending = contract_approve(
        contract=signup.contract, by=regisseur_a,
        starts_on=today - dt.timedelta(days=355), ends_on=today + dt.timedelta(days=10),
    )  # fmt: skip
    page.set_viewport_size({"width": 1280, "height": 900})
    t = Texts(locale)
    speak(locale, regisseur_a, resident, resident_two)
    axe.follow(page, other_page)

    # From the front page, the regisseur logs in and opens the dashboard.
    page.goto(f"{live_server.url}/")
    axe.check(page)
    page.get_by_role("link", name=t("Inloggen")).click()
    page.fill("#id_username", regisseur_a.username)
    axe.check(page)
    page.fill("#id_password", "pw-" + regisseur_a.username * 2)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("navigation").get_by_role("link", name=t("Regisseur")).click()
    expect(page.locator(f"#contract-{overlapping.pk}")).to_be_visible()
    axe.check(page)

    # The overlapping approval is refused in words: which location holds the ground, how much.
    page.locator(f"#contract-{overlapping.pk}").get_by_role("button", name=t("Goedkeuren")).click()
    status = page.locator("#decision-status")
    expect(status).to_contain_text(
        t("De grond overlapt %(m2)s m² met lopend contract %(contract)s (%(location)s) in dezelfde periode. "
          "Kies een periode die daar niet mee samenvalt, of los de overlap eerst op.",
          m2=50, contract=ending.pk, location="Veld 2")
    )  # fmt: skip
    axe.check(page)  # with the refusal announced
    expect(status).not_to_contain_text("DETAIL")
    expect(page.locator(f"#contract-{overlapping.pk}")).to_be_visible()

    # Approves Veld 1 with a start and an end of their choosing, and sees it running.
    starts, ends = today + dt.timedelta(days=1), today + dt.timedelta(days=1 + 365)
    article = page.locator(f"#contract-{waiting.pk}")
    expect(article).to_contain_text("Vaste planten")
    article.get_by_label(t("Begindatum")).fill(starts.isoformat())
    article.get_by_label(t("Einddatum")).fill(ends.isoformat())
    article.get_by_role("button", name=t("Goedkeuren")).click()
    expect(article).to_have_count(0)
    page.get_by_role("link", name=t.js("Bekijk het contract")).click()
    page.wait_for_url(f"{live_server.url}/contracten/{waiting.pk}/")
    expect(page.locator("#contract-status")).to_contain_text(t("Goedgekeurd; begint op %(day)s.", day=t.date(starts)))
    expect(page.locator(".facts")).to_contain_text(f"{t.date(starts)} {t('tot')} {t.date(ends)}")
    axe.check(page)
    page.get_by_role("link", name=t("Regisseur")).first.click()
    expect(page.locator(f"#running-{waiting.pk}")).to_contain_text("Riet Eerste, Ruud Tweede")

    # Veld 2 ends within the reminder days: the renewal action is there. The reminder goes out.
    renewal = page.locator(f"#ending-{ending.pk}")
    assert ending.ends_on is not None
    expect(renewal).to_contain_text(t("Loopt af op %(day)s.", day=t.date(ending.ends_on)))
    expect(renewal.get_by_role("button", name=t("Verlengen"))).to_be_visible()
    smtp_server.clear()
    remind_ending.delay()
    reminders = smtp_server.wait_for(2)  # a message each: the manager does not see the regisseur's address
    assert sorted(mail["To"] for mail in reminders) == ["regisseur_a@example.org", "resident_one@example.org"]
    for mail in reminders:
        assert mail["Subject"] == t("Contract voor %(location)s loopt af op %(day)s", location="Veld 2",
                                    day=t.date(ending.ends_on))  # fmt: skip
    reminder = _link(smtp_server, f"/contracten/{ending.pk}/")

    # Extends it to a chosen date; it runs on, no longer ending soon.
    renewed = today + dt.timedelta(days=10 + 365)
    renewal.get_by_label(t("Verlengen tot")).fill(renewed.isoformat())
    renewal.get_by_role("button", name=t("Verlengen")).click()
    expect(page.locator(".messages")).to_contain_text(
        t("Het contract voor %(location)s is verlengd tot en met %(day)s. De beheerders krijgen een e-mail.",
          location="Veld 2", day=t.date(renewed))
    )  # fmt: skip
    expect(page.locator(f"#ending-{ending.pk}")).to_have_count(0)
    expect(page.locator(f"#running-{ending.pk}")).to_be_visible()

    # The reminder's link opens the contract page: for the regisseur, everything.
    page.goto(live_server.url + urlsplit(reminder).path)
    expect(page.locator("#contract-page")).to_have_attribute("data-view", "regisseur")
    expect(page.locator("#people")).to_contain_text("resident_one@example.org")
    expect(page.locator("#acceptances")).to_contain_text("Riet Eerste")
    expect(page.locator(".facts")).to_contain_text(t.date(renewed))

    # And, in a browser of their own, for the manager: their own view.
    other_page.goto(live_server.url + urlsplit(reminder).path)
    axe.check(other_page)  # the log-in page, with where it leads after
    other_page.fill("#id_username", resident.email)
    other_page.fill("#id_password", "pw-" + resident.username * 2)
    other_page.click("button[type=submit]")
    other_page.wait_for_url(live_server.url + urlsplit(reminder).path)
    expect(other_page.locator("#contract-page")).to_have_attribute("data-view", "manager")
    expect(other_page.locator("#my-view")).to_contain_text(t("Je plan: “%(plan)s”", plan="Maaien"))
    expect(other_page.locator("#people")).to_have_count(0)
    expect(other_page.get_by_role("button", name=t("Verlengen"))).to_have_count(0)
    axe.check(other_page)

    # A re-sync gives Veld 1 a larger shape: flagged, and the regisseur is told with a link.
    smtp_server.clear()
    path.unlink()
    write_layer(path, _rows(first=box(140000, 470000, 140015, 470010)))
    again = resync(run.source)
    assert again.status == again.Status.SUCCEEDED, again.message
    page.goto(live_server.url + urlsplit(_link(smtp_server, "/regisseur/")).path + "#ground-changed")
    change = page.locator(f"#ground-{veld['g1'].pk}")
    expect(change).to_contain_text(t("De bron geeft de plek een nieuwe vorm: nu %(new)s m².", new=150))
    expect(change).to_contain_text(t("Het contract is getekend voor %(old)s m².", old=100))
    expect(change.locator(".ground-map path.leaflet-interactive")).to_have_count(2)  # old and new ground
    change.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"regisseur-ground-{locale}.png"), full_page=True)
    axe.check(page)  # with the old and the new ground on its map

    # Takes the new shape into the contract: the flag is gone.
    change.get_by_role("button", name=t("Nieuwe vorm overnemen")).click()
    expect(page.locator(".messages")).to_contain_text(
        t("Het contract voor %(location)s heeft nu de nieuwe vorm.", location="Veld 1")
    )
    expect(page.locator(f"#ground-{veld['g1'].pk}")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"regisseur-{locale}.png"), full_page=True)
    phone_screenshot(page, f"regisseur-{locale}")

    waiting.refresh_from_db()
    assert waiting.status == Contract.Status.ACTIVE and waiting.geometry.area == pytest.approx(150)
    assert Location.objects.get(pk=veld["g1"].pk).ground_changed_at is None
    assert page.js_errors == []
    axe.every_page_checked()
