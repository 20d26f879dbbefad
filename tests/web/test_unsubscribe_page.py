"""The page a news mail's unsubscribe link opens, on a phone and in English: it names the group and
its button says what it does. A walk found the button reading "Withdraw" (the msgid "Afmelden" is
also a manager's withdrawal from a contract) under "Stop getting news from this group", no group named."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from gis_service.groups import services
from gis_service.groups.models import Follower
from gis_service.groups.unsubscribe import unsubscribe_token
from gis_service.locations.models import Location
from tests.conftest import _user
from tests.web.journeys import LOCALES, Texts


@pytest.mark.browser
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.django_db(transaction=True)
def test_the_unsubscribe_link_names_the_group_and_its_button_says_unsubscribe(
    phone_page: Any, live_server: Any, green_strip: Location, locale: str
) -> None:
    page, t = phone_page, Texts(locale)
    manager = _user("mira", first_name="Mira")
    reader = _user("rob", first_name="Rob")
    group = services.group_create(location=green_strip, name="Vondelgroen", managers=[manager])
    services.group_follow(group=group, user=reader)

    # The link as the news mail carries it; a mail client opens it without a session.
    page.goto(f"{live_server.url}/groepen/afmelden/{unsubscribe_token(group_id=group.pk, user_id=reader.pk)}/")
    question = t("Wil je geen nieuws meer van %(name)s per e-mail?", name="Vondelgroen")
    expect(page.locator("main")).to_contain_text(question)
    button = page.locator("main form button")
    expect(button).to_have_text(t("Afmelden voor het nieuws"))
    if t.language == "en":
        expect(button).not_to_have_text("Withdraw")
    button.click()
    done = t("Je krijgt geen nieuws meer van %(name)s.", name="Vondelgroen")
    expect(page.get_by_role("status")).to_contain_text(done)
    assert not Follower.objects.filter(group=group, user=reader).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
