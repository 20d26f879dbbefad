"""Journey 8, bad input, in Chromium: in the forms each persona uses, a careless entry gets a
message in the reader's language beside its field, the typed text stays, and no database or framework text appears; once
with Dutch browsers and once with English ones, axe-core on every page, refusals shown
(tests/web/journeys.py).

Residents on a phone (390×844), the regisseur and the GIS admin on a desktop. One test per
persona keeps the browser time small; tests/web/test_form_refusals.py covers every other field
without a browser. Each refused form is saved in var/test-artifacts/journeys/bad-input-*.png; the
journey's last step is bad-input.png.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils.timezone import localdate
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, ManagerSignup, Offering
from gis_service.contracts.services.decisions import contract_approve
from gis_service.core import limits
from gis_service.groups.models import Group, NewsPost, StatusUpdate
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers.models import Source
from tests.conftest import rd_square
from tests.contracts.factories import offered_location, sign_up
from tests.web.conftest import log_in
from tests.web.journeys import AxeWalk, Texts, in_both_languages, language_of
from tests.web.test_form_refusals import LEAKS

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "journeys"


# Django's own English form errors: a leak on a Dutch page, the reader's language on an English one.
DJANGO_ENGLISH = ("This field is required", "Enter a valid", "Ensure this value", "Select a valid choice")


def no_leaks(page: Any, locale: str) -> None:
    """The page is in the reader's language and shows no database or framework text."""
    language = language_of(locale)
    assert page.locator("html").get_attribute("lang") == language
    text = page.locator("body").inner_text()
    for leak in LEAKS if language == "nl" else [leak for leak in LEAKS if leak not in DJANGO_ENGLISH]:
        assert leak not in text, leak


def beside(page: Any, control: str, message: str) -> None:
    """`message` is in the field block around `control` (a CSS selector), and that block is shown."""
    field = page.locator(control).locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' field ')][1]")
    expect(field.locator(".error")).to_contain_text(message)
    expect(field).to_be_visible()


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"bad-input-{name}.png"), full_page=False)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.browser
@in_both_languages
def test_a_resident_on_a_phone_gets_each_refusal_beside_the_field_with_the_text_kept(
    locale: str, axe: AxeWalk, phone_page: Any, live_server: Any, owner_a: Owner, regisseur_a: User, resident: User
) -> None:
    offered = offered_location(owner=owner_a, regisseur=regisseur_a, x=1000, y=1000)
    running = offered_location(owner=owner_a, regisseur=regisseur_a, x=0, y=0, managers_needed=1)
    contract = contract_approve(
        contract=sign_up(running, resident), by=regisseur_a,
        starts_on=localdate() - dt.timedelta(days=30), ends_on=localdate() + dt.timedelta(days=300),
    )  # fmt: skip
    group = Group.objects.get(contract=contract)
    page, t = phone_page, Texts(locale)
    axe.follow(page)

    # Registering from the home page with a mistyped address: the name stays, the address is marked.
    page.goto(f"{live_server.url}/")
    axe.check(page)
    page.get_by_role("link", name=t("Account aanmaken")).first.tap()
    page.fill("#id_name", "Nel de Vries")
    page.fill("#id_email", "nel-at-example.org")
    page.get_by_role("button", name=t("Account aanmaken")).tap()
    beside(page, "#id_email", t("Dit is geen geldig e-mailadres."))
    beside(page, "#id_password", t("Kies een wachtwoord."))
    expect(page.locator("#id_name")).to_have_value("Nel de Vries")
    expect(page.locator("#id_email")).to_have_value("nel-at-example.org")
    no_leaks(page, locale)
    axe.check(page)
    shot(page, f"{locale}-register")
    assert not User.objects.filter(email__icontains="nel").exists()

    # Signing up: the plan box stops at its limit, and forgetting to accept keeps the plan.
    log_in(page, live_server, resident, axe)
    axe.check(page)  # the front page, logged in
    page.goto(f"{live_server.url}/locaties/{offered.pk}/aanmelden/")
    plan = page.locator("#id_plan")
    assert plan.get_attribute("maxlength") == str(limits.MESSAGE)
    plan.fill("Een bankje en bloembollen. " * 200)  # 5,400 characters pasted
    assert len(plan.input_value()) == limits.MESSAGE
    page.get_by_role("button", name=t("Aanmelden"), exact=True).tap()
    beside(page, "#id_accept_terms", t("Vink aan dat je akkoord gaat met de voorwaarden."))
    assert plan.input_value().startswith("Een bankje en bloembollen.") and len(plan.input_value()) == limits.MESSAGE
    no_leaks(page, locale)
    axe.check(page)
    shot(page, f"{locale}-signup")
    assert not ManagerSignup.objects.filter(contract__location=offered).exists()

    # In the group: news without a text, and an update with a file that is no photo.
    page.goto(f"{live_server.url}/groepen/{group.pk}/")
    axe.check(page)
    page.get_by_text(t("Nieuwsbericht plaatsen")).tap()
    page.fill("#news-form [name=title]", "Snoeidag zaterdag")
    page.locator("#news-form").get_by_role("button", name=t("Plaatsen")).tap()
    beside(page, "#news-form [name=body]", t.django("This field is required."))
    expect(page.locator("#news-form [name=title]")).to_have_value("Snoeidag zaterdag")
    expect(page.locator("#news-form")).to_be_in_viewport()  # the answer opens where the form is
    no_leaks(page, locale)
    axe.check(page)
    shot(page, f"{locale}-news")
    page.fill("#update-form [name=body]", "De tulpen staan erin!")
    page.locator("#update-form [name=photos]").set_input_files(
        files=[{"name": "tulpen.jpg", "mimeType": "image/jpeg", "buffer": b"%PDF-1.4 dit is geen foto"}]
    )
    page.locator("#update-form").get_by_role("button", name=t("Plaatsen")).tap()
    beside(page, "#update-form [name=photos]", t("Dit bestand is geen foto (JPEG, PNG of WebP)."))
    expect(page.locator("#update-form [name=body]")).to_have_value("De tulpen staan erin!")
    no_leaks(page, locale)
    axe.check(page)
    shot(page, f"{locale}-update")
    assert not NewsPost.objects.exists() and not StatusUpdate.objects.exists()

    # Ending the contract early without a reason.
    page.goto(f"{live_server.url}/contracten/{contract.pk}/")
    axe.check(page)
    page.get_by_text(t("Contract beëindigen")).first.tap()
    page.get_by_role("button", name=t("Nu beëindigen")).tap()
    beside(page, f"#end-reason-{contract.pk}", t("Geef een reden voor het beëindigen."))
    no_leaks(page, locale)
    axe.check(page)
    page.screenshot(path=str(SCREENSHOTS / f"bad-input-{locale}.png"), full_page=True)
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.ACTIVE
    axe.every_page_checked()


@pytest.mark.browser
@in_both_languages
def test_the_regisseur_gets_each_refusal_beside_the_field_on_the_offer_and_the_dashboard(
    locale: str, axe: AxeWalk, page: Any, live_server: Any, owner_a: Owner, regisseur_a: User, resident: User
) -> None:
    plain = Location.objects.create(owner=owner_a, name="Plantsoen Zuid", geometry=rd_square(4000, 4000, 20))
    waiting_location = offered_location(owner=owner_a, regisseur=regisseur_a, x=5000, y=5000, managers_needed=1)
    waiting = sign_up(waiting_location, resident)
    page.set_viewport_size({"width": 1280, "height": 800})
    t = Texts(locale)
    axe.follow(page)
    log_in(page, live_server, regisseur_a, axe)
    axe.check(page)  # the front page, logged in

    # Offering with the period the wrong way round and a budget in words.
    page.goto(f"{live_server.url}/locaties/{plain.pk}/aanbieden/")
    page.fill("#id_conditions", "Geen gif; de bomen blijven van de gemeente.")
    page.fill("#id_offered_from", "2027-05-01")
    page.fill("#id_offered_until", "2027-04-01")
    page.fill("#id_budget_eur", "tweehonderd")
    page.fill("#id_terms_text", "Versie 1: onderhoud de strook.")
    page.get_by_role("button", name=t("Aanbieden")).click()
    beside(page, "#id_budget_eur", t.django("Enter a number."))
    page.fill("#id_budget_eur", "200")
    page.get_by_role("button", name=t("Aanbieden")).click()
    beside(page, "#id_offered_until", t("Het einde van de aanbiedingsperiode ligt vóór het begin."))
    expect(page.locator("#id_conditions")).to_have_value("Geen gif; de bomen blijven van de gemeente.")
    expect(page.locator("#id_terms_text")).to_have_value("Versie 1: onderhoud de strook.")
    no_leaks(page, locale)
    axe.check(page)
    shot(page, f"{locale}-offering")
    assert not Offering.objects.filter(location=plain).exists()

    # On the dashboard: an end before the start, then a rejection without a reason.
    page.goto(f"{live_server.url}/regisseur/")
    decision = page.locator(f"#contract-{waiting.pk}")
    decision.locator(".starts-on").fill("2027-06-01")
    decision.locator(".ends-on").fill("2027-05-01")
    decision.get_by_role("button", name=t("Goedkeuren")).click()
    expect(decision.locator(".ends-on + .field-error")).to_have_text(t("De einddatum moet na de begindatum liggen."))
    expect(decision.locator(".ends-on")).to_have_attribute("aria-invalid", "true")
    decision.get_by_role("button", name=t("Afwijzen")).click()
    expect(decision.locator(".reason + .field-error")).to_have_text(t("Geef een reden voor de afwijzing."))
    assert decision.locator(".reason").get_attribute("maxlength") == str(limits.MESSAGE)
    no_leaks(page, locale)
    axe.check(page)
    decision.screenshot(path=str(SCREENSHOTS / "bad-input-dashboard.png"))
    assert Contract.objects.get(pk=waiting.pk).status == Contract.Status.OPEN
    axe.every_page_checked()


@pytest.mark.browser
@in_both_languages
def test_the_gis_admin_gets_a_refused_upload_beside_the_field(
    locale: str, axe: AxeWalk, page: Any, live_server: Any, owner_a: Owner, gis_admin_a: User, tmp_path: Path,
    settings: Any,
) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    not_a_zip = tmp_path / "groen.zip"
    not_a_zip.write_bytes(b"dit is geen zip")
    page.set_viewport_size({"width": 1280, "height": 800})
    axe.follow(page)
    log_in(page, live_server, gis_admin_a, axe)
    axe.check(page)  # the front page, logged in
    page.goto(f"{live_server.url}/admin/importers/source/add/")
    page.locator("#id_owner").select_option(str(owner_a.pk))
    page.locator("#id_name").fill("groen")
    page.locator("#id_kind").select_option("file")
    page.locator("#id_id_field").fill("guid")
    page.locator("#id_upload").set_input_files(str(not_a_zip))
    page.locator("input[name=_save]").click()
    row = page.locator(".form-row.field-upload")
    expect(row.locator(".errorlist")).to_contain_text("zip")
    expect(page.locator("#id_name")).to_have_value("groen")
    expect(page.locator("#id_id_field")).to_have_value("guid")
    no_leaks(page, locale)
    axe.check(page)
    shot(page, f"{locale}-gis-admin")
    assert not Source.objects.exists()
    axe.every_page_checked()
