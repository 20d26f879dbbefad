"""Names in the API's JSON (docs/security.md, *Names on public pages*): the initiative discussion
names an author by their public name for anyone outside the owner's circle; the group tools name
nobody."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from gis_service.accounts.models import User
from gis_service.groups import services
from gis_service.initiatives import services as initiative_services
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import _user, rd_square
from tests.initiatives.factories import filed_initiative


@pytest.fixture
def anna(db: None) -> User:
    return _user("anna", first_name="Anna de Vries")  # as registration stores it: whole, in first_name


@pytest.fixture
def initiative(owner_a: Owner, resident: User, anna: User) -> Initiative:
    initiative = filed_initiative(owner_a, resident)
    initiative_services.initiative_post_create(initiative=initiative, author=anna, body="Ik help graag mee.")
    return initiative


def _client(user: User | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _authors(client: APIClient, initiative: Initiative) -> list[str]:
    answer = client.get(f"/api/initiative-posts/?initiative={initiative.pk}")
    assert answer.status_code == 200
    return [post["author"] for post in answer.json()["results"]]


@pytest.mark.django_db
def test_the_discussion_names_the_author_publicly_to_visitors_and_residents(
    initiative: Initiative, resident_two: User
) -> None:
    assert _authors(_client(), initiative) == ["Anna V."]
    assert _authors(_client(resident_two), initiative) == ["Anna V."]


@pytest.mark.django_db
def test_the_regisseur_and_the_author_read_the_full_name(initiative: Initiative, regisseur_a: User, anna: User) -> None:
    assert _authors(_client(regisseur_a), initiative) == ["Anna de Vries"]
    assert _authors(_client(anna), initiative) == ["Anna de Vries"]


@pytest.mark.django_db
def test_a_new_post_answers_with_the_authors_own_full_name(initiative: Initiative, anna: User) -> None:
    answer = _client(anna).post(
        "/api/initiative-posts/", {"initiative": initiative.pk, "body": "Nog een vraag."}, format="json"
    )
    assert answer.status_code == 201 and answer.json()["author"] == "Anna de Vries"


@pytest.mark.django_db
def test_the_group_tools_name_nobody(owner_a: Owner, anna: User) -> None:
    location = Location.objects.create(owner=owner_a, name="Speelveldje", geometry=rd_square(121000, 487000, 30))
    group = services.group_create(location=location, name="Speelveldje groen", managers=[anna])
    services.news_post(group=group, author=anna, title="Plantdag", body="Zaterdag planten we.")
    services.task_take(task=services.task_add(group=group, user=anna, title="Maaien"), user=anna)
    services.status_update_post(group=group, author=anna, body="Het gras is gemaaid.")
    thread = services.forum_thread_start(group=group, author=anna, title="Bankje", body="Waar komt het bankje?")
    for path in (f"groups/{group.pk}/", "news/", "tasks/", "status-updates/", "forum-threads/",
                 f"forum-posts/?thread={thread.pk}"):  # fmt: skip
        answer = _client().get(f"/api/{path}")
        assert answer.status_code == 200, path
        assert "Anna" not in json.dumps(answer.json()), path
