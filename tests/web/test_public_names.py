"""Names on the public pages (docs/security.md, *Names on public pages*): a group's page, its forum
and an initiative's discussion show a member as "Anna V." to visitors and other residents, and as
"Anna de Vries" to the group's members, the owner's regisseur and Anna herself."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from gis_service.accounts.models import User
from gis_service.groups import services
from gis_service.groups.models import ForumThread, Group
from gis_service.initiatives import services as initiative_services
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import _user, rd_square
from tests.initiatives.factories import filed_initiative
from tests.web.conftest import logged_in


@pytest.fixture
def anna(db: None) -> User:
    return _user("anna", first_name="Anna de Vries")  # as registration stores it: whole, in first_name


@pytest.fixture
def group(owner_a: Owner, anna: User) -> Group:
    """Anna manages the group and is everywhere on its page: news, a task taken, a task done, an
    update, hours and a forum thread."""
    location = Location.objects.create(owner=owner_a, name="Speelveldje", geometry=rd_square(121000, 487000, 30))
    group = services.group_create(location=location, name="Speelveldje groen", managers=[anna])
    services.news_post(group=group, author=anna, title="Plantdag", body="Zaterdag planten we.")
    services.task_take(task=services.task_add(group=group, user=anna, title="Maaien"), user=anna)
    done = services.task_take(task=services.task_add(group=group, user=anna, title="Snoeien"), user=anna)
    services.task_finish(task=done, user=anna)
    services.status_update_post(group=group, author=anna, body="Het gras is gemaaid.")
    services.hours_log(group=group, user=anna, worked_on=timezone.localdate() - timedelta(days=1), hours=Decimal(2))
    services.forum_thread_start(group=group, author=anna, title="Bankje", body="Waar komt het bankje?")
    return group


def _group_pages(client: Client, group: Group) -> list[str]:
    thread = ForumThread.objects.get(group=group)
    pages = [client.get(f"/groepen/{group.pk}/"), client.get(f"/groepen/{group.pk}/forum/{thread.pk}/")]
    assert [page.status_code for page in pages] == [200, 200]
    return [page.content.decode() for page in pages]


@pytest.mark.django_db
def test_a_visitor_sees_the_public_name_on_the_group_page_and_forum(group: Group) -> None:
    home, thread = _group_pages(Client(), group)
    assert "de Vries" not in home and "de Vries" not in thread
    # Beheerders, news, the task taken, the task done, the update (hours are for members only).
    assert home.count("Anna V.") == 5
    assert "Anna V." in thread


@pytest.mark.django_db
def test_another_resident_and_another_owners_regisseur_see_the_public_name(
    group: Group, outsider: User, regisseur_b: User
) -> None:
    for viewer in (outsider, regisseur_b):
        home, thread = _group_pages(logged_in(viewer), group)
        assert "de Vries" not in home + thread
        assert home.count("Anna V.") == 5 and "Anna V." in thread


@pytest.mark.django_db
def test_a_member_the_owners_regisseur_and_the_person_see_the_full_name(
    group: Group, anna: User, regisseur_a: User
) -> None:
    volunteer = _user("vera", first_name="Vera")
    services.group_join(group=group, user=volunteer)
    for viewer in (volunteer, regisseur_a, anna):
        home, thread = _group_pages(logged_in(viewer), group)
        assert "Anna V." not in home + thread
        assert "Anna de Vries" in thread
        assert home.count("Anna de Vries") >= 5


@pytest.fixture
def initiative(owner_a: Owner, resident: User, anna: User) -> Initiative:
    initiative = filed_initiative(owner_a, resident)
    initiative_services.initiative_post_create(initiative=initiative, author=anna, body="Ik help graag mee.")
    return initiative


@pytest.mark.django_db
def test_the_initiative_discussion_shows_the_public_name_to_visitors_and_residents(
    initiative: Initiative, resident_two: User
) -> None:
    for client in (Client(), logged_in(resident_two)):
        page = client.get(f"/initiatief/{initiative.pk}/").content.decode()
        assert "Ik help graag mee." in page
        assert "Anna V." in page and "de Vries" not in page


@pytest.mark.django_db
def test_the_initiative_discussion_shows_the_full_name_to_the_regisseur_and_the_author(
    initiative: Initiative, regisseur_a: User, anna: User
) -> None:
    for viewer in (regisseur_a, anna):
        page = logged_in(viewer).get(f"/initiatief/{initiative.pk}/").content.decode()
        assert "Anna de Vries" in page and "Anna V." not in page
