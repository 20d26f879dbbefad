"""Journey 6, the volunteer from the marker, on a phone: the QR code on the sign leads to the
location; they register from there and the mailed link brings them back; they join the group,
take a task, mark it done, post an update with a photo, get the group's news by mail, and later
log in from the location page and come back to it.

The contract and its group are made by the real services; every mail is sent by the real worker
to the real SMTP server and its link followed from there. Once with Dutch browsers and once with
English ones, axe-core on every page (tests/web/journeys.py)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from django.conf import settings
from PIL import Image
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract
from gis_service.contracts.services.decisions import contract_approve
from gis_service.contracts.services.offering import offering_create
from gis_service.contracts.services.signup import manager_sign_up
from gis_service.groups.models import Group, GroupMember, Photo, Task
from gis_service.groups.services import news_post, task_add
from gis_service.locations.models import Location
from tests.conftest import SmtpServer
from tests.web.journeys import AxeWalk, Texts, in_both_languages, speak

SCREENSHOT = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "journeys" / "volunteer.png"
EMAIL, PASSWORD = "vera@example.org", "Schoffel-en-gieter-12"


def link_in(smtp_server: SmtpServer, count: int, to: str, path: str) -> str:
    """The link to `path` in the last of `count` mails, which must be addressed to `to`."""
    message = smtp_server.wait_for(count)[count - 1]
    assert message["To"] == to
    found = re.search(rf"https?://\S+{re.escape(path)}\S*", message.get_content())
    assert found is not None, message.get_content()
    return found[0]


def phone_photo(path: Path) -> Path:
    """A small JPEG as a phone camera makes one (Pillow), of green under a blue sky."""
    image = Image.new("RGB", (640, 480), (70, 140, 60))
    image.paste((120, 180, 230), (0, 0, 640, 200))
    image.save(path, "JPEG", quality=85)
    return path


def active_project(location: Location, regisseur: User, manager: User) -> Group:
    """The location offered, one manager signed up and approved: its group, with two tasks."""
    offering = offering_create(
        location=location, by=regisseur, conditions="Geen gif.", terms_text="Versie 1: geen gif.", managers_needed=1
    )
    manager_sign_up(
        location=location, user=manager, terms_version=offering.current_terms(), plan="Bloemen", accept_terms=True
    )
    contract_approve(contract=Contract.objects.get(location=location), by=regisseur)
    group = Group.objects.get(location=location)
    task_add(group=group, user=manager, title="Zwerfvuil prikken", description="Langs het fietspad.")
    task_add(group=group, user=manager, title="Bollen planten")
    return group


@pytest.mark.browser
@in_both_languages
def test_a_volunteer_from_the_marker_registers_joins_works_and_posts_a_photo(
    locale: str,
    axe: AxeWalk,
    phone_page: Any,
    page: Any,
    live_server: Any,
    green_strip: Location,
    regisseur_a: User,
    resident: User,
    smtp_server: SmtpServer,
    celery_worker: str,
    tmp_path: Path,
    settings: Any,
) -> None:
    # The default hasher made registering take over the 5 s a step may wait on a loaded 2-core machine
    # (both languages failed there); the journey is about the pages, as test_journey_bad_input's.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = live_server.url  # the QR code and the mails' links lead to this server
    settings.MEDIA_ROOT = tmp_path / "media"
    smtp_server.clear()
    t = Texts(locale)
    speak(locale, regisseur_a, resident)
    axe.follow(page, phone_page)
    group = active_project(green_strip, regisseur_a, resident)
    # The regisseur heard that enough managers signed up, the manager of the approval: before all else.
    sent = {(mail["To"], mail["Subject"]) for mail in smtp_server.wait_for(2)}
    assert sent == {
        (regisseur_a.email, t.plural("Drempel bereikt: %(count)d beheerder voor %(location)s",
                                     "Drempel bereikt: %(count)d beheerders voor %(location)s", 1,
                                     count=1, location=green_strip.name)),
        (resident.email, t("Goedgekeurd: zelfbeheer van %(location)s", location=green_strip.name)),
    }  # fmt: skip
    smtp_server.clear()

    # The sign at the location: its QR code leads to the location's page.
    page.goto(f"{live_server.url}/locaties/{green_strip.pk}/bord/")
    axe.check(page)
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(page.locator("#qr svg").screenshot())))
    location_url = code.text
    assert location_url == f"{live_server.url}/locaties/{green_strip.pk}/"

    # On the phone: the page, and registering from it; the mailed link brings her back.
    volunteer_page = phone_page
    volunteer_page.goto(location_url)
    expect(volunteer_page.get_by_role("region", name=t("Meedoen"))).to_contain_text(
        t("Deze plek wordt beheerd door bewoners.")
    )
    axe.check(volunteer_page)
    volunteer_page.get_by_role("link", name=t("Account aanmaken")).tap()
    volunteer_page.get_by_label(t("Naam")).fill("Vera Vrijwilliger")
    axe.check(volunteer_page)
    volunteer_page.get_by_label(t("E-mailadres")).fill(EMAIL)
    volunteer_page.get_by_label(t("Wachtwoord")).fill(PASSWORD)
    volunteer_page.get_by_role("button", name=t("Account aanmaken")).tap()
    expect(volunteer_page.get_by_role("heading", name=t("Kijk in je mail"))).to_be_visible()
    axe.check(volunteer_page)
    volunteer_page.goto(link_in(smtp_server, 1, EMAIL, "/account/bevestigen/"))
    axe.check(volunteer_page)
    volunteer_page.get_by_role("button", name=t("Bevestig mijn e-mailadres")).tap()
    volunteer_page.wait_for_url(location_url)
    expect(volunteer_page.locator(".messages")).to_contain_text(
        t("Welkom, %(name)s! Je e-mailadres is bevestigd en je bent ingelogd.", name="Vera Vrijwilliger")
    )
    vera = User.objects.get(email=EMAIL)

    # To the group: join, take a task, mark it done.
    volunteer_page.get_by_role("link", name=t("Naar de groep: %(name)s", name=group.name)).tap()
    join = volunteer_page.get_by_role("button", name=t("Doe mee als vrijwilliger"))
    join.wait_for()
    axe.check(volunteer_page)
    join.tap()
    expect(volunteer_page.locator(".messages")).to_contain_text(t("Welkom! Je doet mee als vrijwilliger."))
    axe.check(volunteer_page)  # the group as its member sees it
    assert GroupMember.objects.get(group=group, user=vera).role == GroupMember.Role.VOLUNTEER
    task = volunteer_page.locator(".task", has_text="Zwerfvuil prikken")
    task.get_by_role("button", name=t("Ik pak dit op")).tap()
    expect(volunteer_page.locator(".messages")).to_contain_text(
        t("Je hebt ‘%(task)s’ opgepakt. Dank je!", task="Zwerfvuil prikken")
    )
    expect(task).to_contain_text("Vera Vrijwilliger")
    task.get_by_role("button", name=t("Klaar")).tap()
    expect(volunteer_page.locator(".messages")).to_contain_text(t("‘%(task)s’ is klaar.", task="Zwerfvuil prikken"))
    volunteer_page.get_by_text(t("Gedaan (%(number)s)", number=1)).tap()
    expect(volunteer_page.locator("#taken details")).to_contain_text("Zwerfvuil prikken — Vera Vrijwilliger")
    done = Task.objects.get(group=group, title="Zwerfvuil prikken")
    assert (done.status, done.taken_by) == (Task.Status.DONE, vera)

    # A status update with a photo from the phone.
    updates = volunteer_page.locator("#updates")
    updates.get_by_label(t("Hoe gaat het?")).fill("Het fietspad is weer schoon: twee zakken zwerfvuil.")
    updates.get_by_label(t("Foto's")).set_input_files(str(phone_photo(tmp_path / "IMG_2041.jpg")))
    updates.get_by_role("button", name=t("Plaatsen")).tap()
    expect(volunteer_page.locator(".messages")).to_be_visible()
    update = updates.locator(".update", has_text="twee zakken zwerfvuil")
    expect(update).to_contain_text("Vera Vrijwilliger")
    photo = update.locator("img")
    expect(photo).to_be_visible()
    # The photo is served by us and decoded by the browser: wait for that, a loaded machine is slow.
    photo.evaluate("img => img.complete ? null : new Promise(done => img.addEventListener('load', done))")
    assert photo.evaluate("img => img.naturalWidth") == 640
    assert Photo.objects.filter(update__group=group, update__author=vera).count() == 1

    # Joining follows the news: the manager's next post reaches her by mail, and its link the group.
    news_post(group=group, author=resident, title="Snoeidag zaterdag", body="We beginnen om tien uur.")
    volunteer_page.goto(link_in(smtp_server, 2, EMAIL, f"/groepen/{group.pk}/"))
    expect(volunteer_page.locator("#nieuws")).to_contain_text("Snoeidag zaterdag")

    # Later: log out, scan the sign again, log in from the page, and be back on it.
    volunteer_page.get_by_role("button", name=t("Uitloggen")).tap()
    expect(volunteer_page.get_by_role("link", name=t("Inloggen"))).to_be_visible()
    axe.check(volunteer_page)
    volunteer_page.goto(location_url)
    volunteer_page.get_by_role("link", name=t("Inloggen")).tap()
    volunteer_page.get_by_label(t("E-mailadres")).fill(EMAIL)
    axe.check(volunteer_page)
    volunteer_page.get_by_label(t("Wachtwoord")).fill(PASSWORD)
    volunteer_page.get_by_role("button", name=t("Inloggen")).tap()
    volunteer_page.wait_for_url(location_url)
    expect(volunteer_page.get_by_role("link", name=t("Mijn account"))).to_be_visible()

    volunteer_page.get_by_role("link", name=t("Naar de groep: %(name)s", name=group.name)).tap()
    volunteer_page.locator("#updates").scroll_into_view_if_needed()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    volunteer_page.screenshot(path=str(SCREENSHOT.with_name(f"volunteer-{locale}.png")), full_page=True)
    axe.every_page_checked()
