"""Joining an initiative takes the invite token an initiator shares; the id alone is refused."""

import pytest

from gis_service.contracts.models import Contract
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from tests.conftest import rd_square
from tests.contracts.factories import offered_location, sign_up
from tests.initiatives.test_initiatives import client_for, file, square


@pytest.fixture
def initiative(owner_a, regisseur_a, resident) -> Initiative:
    Location.objects.create(owner=owner_a, name="Plantsoen", geometry=rd_square(0, 0, 100))
    answer = file(resident, geometry=square(10, 10, 20))
    assert answer.status_code == 201, answer.data
    return Initiative.objects.get(pk=answer.data["id"])


def join(user, initiative_id, **body):
    return client_for(user).post(f"/api/initiatives/{initiative_id}/join/", body, format="json")


def test_only_initiators_see_the_invite_token(initiative, resident, regisseur_a) -> None:
    mine = client_for(resident).get(f"/api/initiatives/{initiative.pk}/")
    assert mine.data["invite_token"] == initiative.invite_token and len(initiative.invite_token) == 32
    assert client_for(regisseur_a).get(f"/api/initiatives/{initiative.pk}/").data["invite_token"] is None


@pytest.mark.parametrize("body", [{}, {"token": ""}, {"token": "0" * 32}, {"token": ["x"]}])
def test_it_refuses_to_join_without_the_right_token(initiative, resident_two, outsider, body) -> None:
    for user in (resident_two, outsider):
        assert join(user, initiative.pk, **body).status_code in (400, 403)
    assert list(initiative.initiators.all()) == [initiative.created_by]


def test_a_token_of_another_initiative_does_not_open_this_one(initiative, resident, resident_two) -> None:
    other = file(resident, geometry=square(50, 50, 20)).data
    assert join(resident_two, initiative.pk, token=other["invite_token"]).status_code == 403
    assert not initiative.initiators.filter(pk=resident_two.pk).exists()


def test_a_neighbour_with_the_token_joins_and_then_sees_it(initiative, resident_two) -> None:
    assert client_for(resident_two).get(f"/api/initiatives/{initiative.pk}/").status_code == 404
    answer = join(resident_two, initiative.pk, token=initiative.invite_token)
    assert answer.status_code == 200, answer.data
    assert sorted(answer.data["initiators"]) == ["Riet Eerste", "Ruud Tweede"]
    assert answer.data["invite_token"] == initiative.invite_token  # now an initiator, they may pass it on


def test_a_decided_initiative_cannot_be_joined_even_with_the_token(initiative, regisseur_a, outsider) -> None:
    token = initiative.invite_token
    assert client_for(regisseur_a).post(f"/api/initiatives/{initiative.pk}/approve/").status_code == 200
    assert join(outsider, initiative.pk, token=token).status_code == 404
    assert not initiative.initiators.filter(pk=outsider.pk).exists()


def test_anonymous_visitors_cannot_join(initiative) -> None:
    from rest_framework.test import APIClient

    answer = APIClient().post(f"/api/initiatives/{initiative.pk}/join/", {"token": initiative.invite_token})
    assert answer.status_code in (401, 403)


def _phones_seen_by(user, contract: Contract) -> dict[str, str]:
    answer = client_for(user).get(f"/api/contracts/{contract.pk}/")
    assert answer.status_code == 200, answer.data
    return {row["email"]: row["phone"] for row in answer.data["managers"]}


def test_co_managers_see_a_phone_only_when_approved_and_shared(initiative, regisseur_a, resident, resident_two) -> None:
    join(resident_two, initiative.pk, token=initiative.invite_token)
    client_for(regisseur_a).post(f"/api/initiatives/{initiative.pk}/approve/")
    contract = Initiative.objects.get(pk=initiative.pk).contract
    assert _phones_seen_by(resident_two, contract)["resident_one@example.org"] == ""
    assert _phones_seen_by(resident_two, contract)["resident_two@example.org"] == "0687654321"  # their own
    assert _phones_seen_by(regisseur_a, contract)["resident_one@example.org"] == "0612345678"
    resident.share_phone = True
    resident.save()
    assert _phones_seen_by(resident_two, contract)["resident_one@example.org"] == "0612345678"


@pytest.mark.django_db
def test_co_managers_of_an_open_contract_see_no_shared_phone(owner_a, regisseur_a, resident, resident_two) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a, x=140000, y=466000)
    sign_up(location, resident)
    contract = sign_up(location, resident_two)
    resident.share_phone = True
    resident.save()
    assert contract.status == Contract.Status.OPEN
    assert _phones_seen_by(resident_two, contract)["resident_one@example.org"] == ""


@pytest.mark.django_db
def test_a_regisseur_files_or_joins_no_initiative_on_their_own_owners_ground(
    initiative, regisseur_a, regisseur_b, owner_b
) -> None:
    """They decide on it: filing or joining one there would be deciding on their own plan."""
    own_ground = (
        "Je bent regisseur van de eigenaar van deze grond en beslist over de initiatieven erop: daar dien je er "
        "zelf geen in en doe je er niet aan mee."
    )
    filed = file(regisseur_a, geometry=square(40, 40, 10))  # on owner_a's Plantsoen
    assert filed.status_code == 400
    assert filed.json()["error"] == {"code": "own_ground", "message": own_ground}
    joined = join(regisseur_a, initiative.pk, token=initiative.invite_token)
    assert joined.status_code == 403 and joined.json()["detail"] == own_ground
    assert Initiative.objects.count() == 1 and initiative.initiators.count() == 1
    # Another owner's regisseur is a resident here, like any other.
    assert join(regisseur_b, initiative.pk, token=initiative.invite_token).status_code == 200
    assert initiative.initiators.filter(pk=regisseur_b.pk).exists()
