"""The initiative's public page without a browser: its forms refuse with the reason beside the
field (400), and a post hidden already is not hidden twice."""

from __future__ import annotations

import pytest

from gis_service.initiatives import services
from gis_service.initiatives.models import InitiativePost
from tests.initiatives.factories import filed_initiative


@pytest.fixture
def initiative(owner_a, regisseur_a, resident):
    return filed_initiative(owner_a, resident)


@pytest.mark.django_db
def test_an_empty_post_comes_back_with_the_reason_beside_the_field(initiative, resident_two, client) -> None:
    client.force_login(resident_two)
    answer = client.post(f"/initiatief/{initiative.pk}/berichten/", {"body": "  "})
    assert answer.status_code == 400
    assert 'id="field-post_body"' in answer.content.decode() and "has-error" in answer.content.decode()
    assert not InitiativePost.objects.exists()


@pytest.mark.django_db
def test_hiding_needs_a_reason_and_happens_once(initiative, regisseur_a, resident_two, client) -> None:
    post = services.initiative_post_create(initiative=initiative, author=resident_two, body="Reclame")
    client.force_login(regisseur_a)
    url = f"/initiatief/{initiative.pk}/berichten/{post.pk}/verbergen/"
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and f'id="field-hide{post.pk}_reason"' in refused.content.decode()
    assert client.post(url, {"reason": "Reclame"}).status_code == 302
    again = client.post(url, {"reason": "Nog eens"}, follow=True)
    assert "Dit bericht is al verborgen." in again.content.decode()
    assert InitiativePost.objects.get().hidden_reason == "Reclame"


@pytest.mark.django_db
def test_the_page_shows_no_initiator_and_no_hidden_post_to_visitors(initiative, regisseur_a, resident_two, client):
    post = services.initiative_post_create(initiative=initiative, author=resident_two, body="Koop horloges")
    services.initiative_post_hide(post=post, by=regisseur_a, reason="Reclame")
    page = client.get(f"/initiatief/{initiative.pk}/").content.decode()
    assert "Een buurtmoestuin" in page
    assert "Koop horloges" not in page and "Riet" not in page and "Eerste" not in page
