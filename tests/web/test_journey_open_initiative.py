"""An open initiative on a phone (390 × 844): a neighbour joins the discussion, a groenadviseur of
the owner offers help, and the owner's regisseur hides a post with a reason; visitors no longer
see it, the regisseur still does, with the reason."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.initiatives.models import HelpOffer, InitiativePost
from gis_service.owners.models import Owner
from tests.conftest import _user
from tests.initiatives.factories import filed_initiative, professional_of
from tests.web.conftest import log_in


def fits_the_phone(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_resident_posts_a_professional_offers_help_and_the_regisseur_hides_a_post_on_a_phone(
    phone_page: Any, live_server: Any, owner_a: Owner, regisseur_a: User
) -> None:
    page = phone_page
    initiative = filed_initiative(owner_a, _user("ina", first_name="Ina"), plan="Bloemen bij de bushalte")
    neighbour = _user("noor", first_name="Noor", last_name="Buur")
    adviser = professional_of(owner_a, "gerda", first_name="Gerda", last_name="Groen")

    # Anyone reads the initiative from the list of open ones; writing asks to log in.
    page.goto(f"{live_server.url}/initiatieven/")
    page.get_by_role("link", name="Bloemen bij de bushalte").click()
    expect(page.locator("#plan")).to_contain_text("Bloemen bij de bushalte")
    expect(page.locator("#discussion")).to_contain_text("Log in om te reageren")
    fits_the_phone(page)

    # A neighbour posts.
    log_in(page, live_server, neighbour)
    page.goto(f"{live_server.url}/initiatief/{initiative.pk}/")
    page.get_by_label("Reactie").fill("Goed idee! Ik heb nog tulpenbollen over.")
    page.get_by_role("button", name="Plaatsen").click()
    expect(page.locator(".messages")).to_contain_text("Je bericht is geplaatst")
    good = InitiativePost.objects.get()
    expect(page.locator(f"#post-{good.pk}")).to_contain_text("Noor Buur")  # her own post: her whole name
    page.get_by_label("Reactie").fill("Koop goedkope horloges op example.com")
    page.get_by_role("button", name="Plaatsen").click()
    expect(page.locator(".messages")).to_contain_text("Je bericht is geplaatst")
    fits_the_phone(page)

    # The groenadviseur offers help.
    page.context.clear_cookies()
    log_in(page, live_server, adviser)
    page.goto(f"{live_server.url}/initiatief/{initiative.pk}/")
    # Anyone else reads her public name: first name and initial (docs/security.md).
    expect(page.locator(f"#post-{good.pk}")).to_contain_text("Noor B.")
    expect(page.locator(f"#post-{good.pk}")).not_to_contain_text("Buur")
    page.get_by_label("Je functie").fill("groenadviseur")
    page.get_by_label("Wat bied je aan?").fill("Ik kijk mee welke bloemen hier goed groeien.")
    page.get_by_role("button", name="Hulp aanbieden").click()
    expect(page.locator(".messages")).to_contain_text("Je hulpaanbod staat bij het initiatief")
    offer = HelpOffer.objects.get()
    expect(page.locator(f"#help-{offer.pk}")).to_contain_text("Gerda Groen, groenadviseur")
    expect(page.locator("#help-form")).to_have_count(0)  # once per initiative
    fits_the_phone(page)

    # The regisseur hides the advertisement, with a reason.
    spam = InitiativePost.objects.exclude(pk=good.pk).get()
    page.context.clear_cookies()
    log_in(page, live_server, regisseur_a)
    page.goto(f"{live_server.url}/initiatief/{initiative.pk}/")
    post = page.locator(f"#post-{spam.pk}")
    post.get_by_text("Verbergen", exact=True).click()
    post.get_by_label("Reden om te verbergen").fill("Reclame hoort hier niet.")
    post.get_by_role("button", name="Bericht verbergen").click()
    expect(page.locator(".messages")).to_contain_text("Het bericht is verborgen")
    expect(page.locator(f"#post-{spam.pk}")).to_contain_text("Reden: Reclame hoort hier niet.")
    fits_the_phone(page)

    # Everyone else no longer sees it.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/initiatief/{initiative.pk}/")
    expect(page.locator(f"#post-{good.pk}")).to_be_visible()
    expect(page.locator(f"#post-{spam.pk}")).to_have_count(0)
    expect(page.locator("#help")).to_contain_text("Ik kijk mee welke bloemen hier goed groeien.")
