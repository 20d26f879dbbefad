"""The account pages: header links, log-in links, and CSRF on every write."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from gis_service.accounts import tokens
from gis_service.accounts.models import User
from gis_service.accounts.services import account_register
from tests.web.conftest import logged_in


@pytest.mark.django_db
def test_visitors_see_log_in_and_register_and_residents_their_account_and_log_out(resident: User) -> None:
    visitor = Client().get("/").text
    assert ">Inloggen<" in visitor and ">Account aanmaken<" in visitor and "Mijn account" not in visitor
    member = logged_in(resident).get("/").text
    assert ">Mijn account<" in member and ">Uitloggen<" in member and ">Account aanmaken<" not in member


@pytest.mark.django_db
def test_the_log_in_page_links_registration_with_the_same_next_and_the_forgotten_password() -> None:
    page = Client().get("/accounts/login/?next=/locaties/7/").text
    assert 'href="/account/aanmaken/?next=/locaties/7/"' in page
    assert 'href="/accounts/password_reset/"' in page and "Wachtwoord vergeten?" in page


@pytest.mark.django_db
def test_a_next_elsewhere_is_dropped() -> None:
    page = Client().get("/account/aanmaken/?next=https://phish.example/").text
    assert '<input type="hidden" name="next" value="">' in page


@pytest.mark.django_db
def test_the_password_reset_pages_have_the_sites_look(resident: User) -> None:
    uid = urlsafe_base64_encode(force_bytes(resident.pk))
    token = default_token_generator.make_token(resident)
    client = Client()
    for url in ("/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/done/"):
        page = client.get(url).text
        assert 'class="site-header"' in page and "Django" not in page, url
    confirm = client.get(f"/accounts/reset/{uid}/{token}/", follow=True).text
    assert "Nieuw wachtwoord kiezen" in confirm and 'class="site-header"' in confirm


@pytest.mark.django_db
def test_every_write_needs_the_csrf_token(resident: User) -> None:
    waiting = account_register(name="Wim", email="wim@example.org", password="Lange-zin-met-bomen", send_mail=False)
    assert waiting.pending_since is not None
    since = waiting.pending_since.isoformat()
    confirm = tokens.registration_token(user_id=waiting.pk, pending_since=since, next_url="")
    change = tokens.email_change_token(user_id=resident.pk, old_email=resident.email, new_email="riet@example.org")
    anonymous = Client(enforce_csrf_checks=True)
    member = Client(enforce_csrf_checks=True)
    member.force_login(resident)
    writes = [
        (anonymous, "/accounts/login/", {"username": resident.email, "password": "pw-resident_oneresident_one"}),
        (anonymous, "/account/aanmaken/", {"name": "X", "email": "x@example.org", "password": "Lange-zin-met-bomen"}),
        (anonymous, "/accounts/password_reset/", {"email": resident.email}),
        (anonymous, f"/account/bevestigen/{confirm}/", {}),
        (anonymous, f"/account/e-mailadres/{change}/", {}),
        (member, "/account/", {"name": "Riet", "email": "riet@example.org", "phone": ""}),
        (member, "/account/wachtwoord/", {"old_password": "pw-resident_oneresident_one"}),
        (member, "/account/verwijderen/", {"password": "pw-resident_oneresident_one"}),
        (member, "/accounts/logout/", {}),
    ]
    for client, url, data in writes:
        assert client.post(url, data).status_code == 403, url
    waiting.refresh_from_db()
    resident.refresh_from_db()
    assert not waiting.is_active and resident.email == "resident_one@example.org" and resident.is_active
    assert not User.objects.filter(email="x@example.org").exists()
    assert member.get("/account/").status_code == 200  # still logged in


@pytest.mark.django_db
def test_the_account_page_keeps_bad_input_with_dutch_messages(resident: User) -> None:
    answer = logged_in(resident).post("/account/", {"name": "", "email": "riet@", "phone": "bel me"})
    assert answer.context["form"].errors == {
        "name": ["Vul je naam in."],
        "email": ["Dit is geen geldig e-mailadres."],
        "phone": ["Gebruik alleen cijfers, spaties en eventueel + - ( ), bijvoorbeeld 06 12345678."],
    }
    assert 'value="riet@"' in answer.text and 'value="bel me"' in answer.text


@pytest.mark.django_db
def test_deleting_with_a_wrong_password_says_so_beside_the_field(resident: User) -> None:
    answer = logged_in(resident).post("/account/verwijderen/", {"password": "fout"})
    assert answer.context["form"].errors == {"password": ["Dit wachtwoord klopt niet."]}
    assert User.objects.get(pk=resident.pk).is_active


@pytest.mark.django_db
def test_the_goodbye_after_deleting_is_one_page_in_the_residents_language(resident: User) -> None:
    """A resident who chose English on the account page deletes it from a Dutch browser: the map the
    deletion ends on said "Your account has been deleted" above a Dutch page. The chosen language is
    kept (the language cookie), so the message and the page around it are in one language."""
    resident.language = "en"
    resident.save(update_fields=["language"])
    client = logged_in(resident)
    answer = client.post(
        "/account/verwijderen/", {"password": "pw-resident_oneresident_one"}, follow=True, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert "Your account has been deleted" in answer.text
    assert '<html lang="en"' in answer.text and "Zoom in om" not in answer.text


@pytest.mark.django_db
def test_residents_choose_whether_co_managers_see_their_phone(resident: User) -> None:
    client = logged_in(resident)
    assert 'name="share_phone"' in client.get("/account/").text
    body = {"name": "Riet Eerste", "email": resident.email, "phone": "0612345678"}
    assert client.post("/account/", {**body, "share_phone": "on"}).status_code == 302
    resident.refresh_from_db()
    assert resident.share_phone is True
    client.post("/account/", body)
    resident.refresh_from_db()
    assert resident.share_phone is False
