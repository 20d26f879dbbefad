"""An initiative's public discussion: residents write, everyone reads, the owner's regisseur hides
a post with a reason; the forum's text limits and the post rate limit hold."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from gis_service.core import limits
from gis_service.initiatives import services
from gis_service.initiatives.models import Initiative, InitiativePost
from tests.initiatives.factories import filed_initiative
from tests.initiatives.test_initiatives import client_for


@pytest.fixture
def initiative(owner_a, regisseur_a, resident) -> Initiative:
    return filed_initiative(owner_a, resident)


def post(user, initiative_id, body="Goed plan, ik help mee!"):
    return client_for(user).post("/api/initiative-posts/", {"initiative": initiative_id, "body": body}, format="json")


def test_a_resident_posts_and_anyone_reads_it_without_the_authors_account(initiative, resident_two) -> None:
    answer = post(resident_two, initiative.pk)
    assert answer.status_code == 201, answer.data
    public = APIClient().get(f"/api/initiative-posts/?initiative={initiative.pk}")
    assert public.status_code == 200
    (row,) = public.data["results"]
    assert row["body"] == "Goed plan, ik help mee!" and row["author"] == "Ruud T."
    assert "Tweede" not in str(public.data) and "resident_two" not in str(public.data)


def test_a_post_longer_than_the_forums_limit_is_refused_naming_it(initiative, resident_two) -> None:
    answer = post(resident_two, initiative.pk, body="x" * (limits.MESSAGE + 1))
    assert answer.status_code == 400
    assert str(limits.MESSAGE) in str(answer.data["body"])
    assert not InitiativePost.objects.exists()


def test_an_empty_post_is_refused(initiative, resident_two) -> None:
    assert post(resident_two, initiative.pk, body="   ").status_code == 400
    assert not InitiativePost.objects.exists()


def test_a_rejected_initiative_is_closed(initiative, regisseur_a, resident_two) -> None:
    services.initiative_reject(initiative=initiative, by=regisseur_a, reason="Hier komt een fietspad.")
    assert post(resident_two, initiative.pk).status_code == 404
    assert client_for(resident_two).get(f"/initiatief/{initiative.pk}/").status_code == 404


def test_the_regisseur_hides_a_post_with_a_reason_and_only_moderators_still_see_it(
    initiative, regisseur_a, regisseur_b, resident_two
) -> None:
    created = post(resident_two, initiative.pk, body="Koop goedkope horloges!").data
    refused = client_for(regisseur_a).post(f"/api/initiative-posts/{created['id']}/hide/", {"reason": ""})
    assert refused.status_code == 400
    hidden = client_for(regisseur_a).post(f"/api/initiative-posts/{created['id']}/hide/", {"reason": "Reclame"})
    assert hidden.status_code == 200 and hidden.data["hidden"] and hidden.data["hidden_reason"] == "Reclame"
    for reader in (APIClient(), client_for(resident_two), client_for(regisseur_b)):
        assert reader.get(f"/api/initiative-posts/?initiative={initiative.pk}").data["results"] == []
    (row,) = client_for(regisseur_a).get(f"/api/initiative-posts/?initiative={initiative.pk}").data["results"]
    assert row["hidden_reason"] == "Reclame"
    again = client_for(regisseur_a).post(f"/api/initiative-posts/{created['id']}/hide/", {"reason": "Nog eens"})
    assert again.status_code == 400
    assert InitiativePost.objects.get().hidden_reason == "Reclame"


def test_only_the_owners_regisseur_hides(initiative, regisseur_b, resident, resident_two) -> None:
    created = services.initiative_post_create(initiative=initiative, author=resident_two, body="Hallo")
    for user in (regisseur_b, resident, resident_two):
        with pytest.raises(PermissionDenied):
            services.initiative_post_hide(post=created, by=user, reason="weg")
    assert InitiativePost.objects.get().hidden_at is None


def test_the_database_refuses_a_hidden_post_without_a_reason(initiative, regisseur_a, resident_two) -> None:
    created = services.initiative_post_create(initiative=initiative, author=resident_two, body="Hallo")
    with pytest.raises(IntegrityError), transaction.atomic():
        InitiativePost.objects.filter(pk=created.pk).update(hidden_at=timezone.now(), hidden_by=regisseur_a)


def test_posts_are_rate_limited_per_resident_across_initiatives(owner_a, resident, resident_two, settings) -> None:
    settings.INITIATIVE_POST_RATE = "3/hour"
    first, second = filed_initiative(owner_a, resident), filed_initiative(owner_a, resident, x=123000)
    answers = [post(resident_two, target.pk).status_code for target in (first, second, first, second)]
    assert answers == [201, 201, 201, 429]
    assert InitiativePost.objects.count() == 3
    assert post(resident, first.pk).status_code == 201  # another resident has a budget of their own


def test_the_web_form_draws_from_the_same_budget(initiative, resident_two, settings, client) -> None:
    settings.INITIATIVE_POST_RATE = "1/hour"
    assert post(resident_two, initiative.pk).status_code == 201
    client.force_login(resident_two)
    answer = client.post(f"/initiatief/{initiative.pk}/berichten/", {"body": "Nog een bericht"})
    assert answer.status_code == 429
    assert "Probeer het over" in answer.content.decode()
    assert InitiativePost.objects.count() == 1


def test_the_service_refuses_anonymous_and_too_long_texts(initiative, resident_two) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.initiative_post_create(initiative=initiative, author=AnonymousUser(), body="Hallo")
    with pytest.raises(ValidationError):
        services.initiative_post_create(initiative=initiative, author=resident_two, body="x" * (limits.MESSAGE + 1))
    assert not InitiativePost.objects.exists()
