"""The invite link: an initiator sees it on their page; with it a neighbour joins, without it nobody."""

import pytest
from django.test import Client

from gis_service.initiatives.models import Initiative
from tests.web.conftest import logged_in


@pytest.fixture
def initiative(owner_a, resident) -> Initiative:
    from tests.conftest import rd_square

    initiative = Initiative.objects.create(
        owner=owner_a, geometry=rd_square(0, 0, 20), description="Een moestuin", created_by=resident
    )
    initiative.initiators.add(resident)
    return initiative


def link(initiative: Initiative, token: str | None = None) -> str:
    return f"/initiatief/{initiative.pk}/meedoen/{token or initiative.invite_token}/"


def test_the_initiator_sees_the_invite_link(initiative, resident) -> None:
    assert link(initiative) in logged_in(resident).get("/mijn-zelfbeheer/").text


def test_a_neighbour_joins_by_the_link(initiative, resident_two) -> None:
    client = logged_in(resident_two)
    assert "Een moestuin" in client.get(link(initiative)).text
    assert client.post(link(initiative)).status_code == 302
    assert initiative.initiators.filter(pk=resident_two.pk).exists()
    # The link opened again: no second "Ik doe mee", but where to find the initiative.
    again = client.get(link(initiative)).text
    assert "Je doet al mee met dit initiatief." in again and "Ik doe mee" not in again


def test_a_wrong_token_shows_and_changes_nothing(initiative, outsider) -> None:
    client = logged_in(outsider)
    wrong = link(initiative, "0" * 32)
    assert client.get(wrong).status_code == 404 and client.post(wrong).status_code == 404
    assert not initiative.initiators.filter(pk=outsider.pk).exists()


@pytest.mark.django_db
def test_visitors_log_in_first(initiative) -> None:
    answer = Client().get(link(initiative))
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
