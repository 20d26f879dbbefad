"""The rule of names on public pages (gis_service/accounts/names.py): who sees "Anna V." and who
"Anna de Vries"."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from gis_service.accounts.models import Membership, User
from gis_service.accounts.names import full_name, name_for, public_name, sees_full_names
from gis_service.accounts.services import account_delete
from gis_service.groups.services import group_create, group_join
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import _user, rd_square


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Anna de Vries", "Anna V."),
        ("  Jan-Willem   van der   berg ", "Jan-Willem B."),
        ("Anna", "Anna"),
        ("Ümit Öztürk", "Ümit Ö."),
    ],
)
def test_it_shows_the_first_word_and_the_initial_of_the_last(typed: str, shown: str) -> None:
    assert public_name(User(username="x", first_name=typed)) == shown


def test_a_name_split_in_the_admin_counts_as_one() -> None:
    assert public_name(User(username="x", first_name="Riet", last_name="Eerste")) == "Riet E."


def test_no_name_is_a_translated_resident_never_the_account_name() -> None:
    nameless = User(username="k3x9-account", first_name="", last_name="")
    assert public_name(nameless) == "bewoner"
    with translation.override("en"):
        assert public_name(nameless) == "resident"


@pytest.fixture
def anna(db: None) -> User:
    return _user("anna", first_name="Anna de Vries")  # as registration stores it: whole, in first_name


@pytest.fixture
def group(owner_a: Owner, anna: User):
    location = Location.objects.create(owner=owner_a, name="Speelveldje", geometry=rd_square(121000, 487000, 30))
    return group_create(location=location, name="Speelveldje groen", managers=[anna])


def _sees(viewer, group) -> str:
    full = sees_full_names(viewer, group_id=group.pk, owner_id=group.location.owner_id)
    return name_for(User.objects.get(username="anna"), viewer=viewer, sees_full=full)


@pytest.mark.django_db
def test_visitors_and_other_residents_see_the_public_name(group, outsider, regisseur_b) -> None:
    assert _sees(AnonymousUser(), group) == "Anna V."
    assert _sees(outsider, group) == "Anna V."
    assert _sees(regisseur_b, group) == "Anna V."  # a regisseur, but of another owner


@pytest.mark.django_db
def test_a_professional_of_the_owner_sees_the_public_name(group, owner_a) -> None:
    professional = _user("prof")
    Membership.objects.create(user=professional, owner=owner_a, role=Membership.Role.PROFESSIONAL)
    assert _sees(professional, group) == "Anna V."


@pytest.mark.django_db
def test_members_the_owners_regisseur_and_the_person_see_the_full_name(group, anna, regisseur_a) -> None:
    volunteer = _user("vera", first_name="Vera")
    group_join(group=group, user=volunteer)
    assert _sees(volunteer, group) == "Anna de Vries"
    assert _sees(regisseur_a, group) == "Anna de Vries"
    assert _sees(anna, group) == "Anna de Vries"


@pytest.mark.django_db
def test_a_deleted_account_reads_as_such_in_the_circle_too(anna: User) -> None:
    # A walk found "verwijderd-d3b6e4240c1376b0" in a group's hours after a volunteer deleted their account.
    account_delete(user=anna, password="pw-annaanna")
    anna.refresh_from_db()
    assert full_name(anna) == "verwijderd account"
    assert public_name(anna) == "bewoner"
