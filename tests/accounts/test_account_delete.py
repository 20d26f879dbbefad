"""Deleting an account removes the person's data and keeps the proofs, anonymised."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token

from gis_service.accounts.models import Membership, User
from gis_service.accounts.services import account_delete
from gis_service.contracts.models import ManagerSignup, TermsAcceptance
from gis_service.groups.models import Follower, GroupMember, MembershipPeriod, Task
from gis_service.groups.services import group_create, group_follow, group_join, task_add, task_take
from gis_service.owners.models import Owner
from tests.contracts.factories import offered_location, sign_up

PASSWORD = "pw-resident_oneresident_one"  # tests.conftest's personas: "pw-" + username twice


@pytest.mark.django_db
def test_it_anonymises_the_user_and_keeps_their_acceptance_of_the_terms(
    owner_a: Owner, regisseur_a: User, resident: User
) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a)
    contract = sign_up(location, resident)
    (acceptance,) = TermsAcceptance.objects.filter(user=resident)
    Membership.objects.create(user=resident, owner=owner_a, role=Membership.Role.GIS_ADMIN)
    Token.objects.create(user=resident)

    account_delete(user=resident, password=PASSWORD)

    user = User.objects.get(pk=resident.pk)
    assert (user.first_name, user.last_name, user.email, user.phone) == ("", "", "", "")
    assert user.username.startswith("verwijderd-") and "resident" not in user.username
    assert not user.has_usable_password() and not user.is_active
    assert not Membership.objects.filter(user=user).exists() and not Token.objects.filter(user=user).exists()
    kept = TermsAcceptance.objects.get(pk=acceptance.pk)
    assert (kept.user_id, kept.contract_id, kept.content_hash) == (user.pk, contract.pk, acceptance.content_hash)
    assert not ManagerSignup.objects.filter(user=user, withdrawn_at__isnull=True).exists()
    assert ManagerSignup.objects.filter(user=user).count() == 1  # withdrawn, not erased: the contract's history
    assert authenticate(username=resident.username, password=PASSWORD) is None


@pytest.mark.django_db
def test_it_takes_the_user_out_of_every_group_and_opens_their_tasks_again(
    owner_a: Owner, regisseur_a: User, resident: User, resident_two: User
) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a)
    group = group_create(location=location, name="Vondelgroen", managers=[resident_two])
    group_join(group=group, user=resident)
    other = group_create(location=location, name="Buurtgroen", managers=[resident_two])
    group_follow(group=other, user=resident)
    task = task_take(task=task_add(group=group, user=resident_two, title="Zwerfvuil prikken"), user=resident)

    account_delete(user=resident, password=PASSWORD)

    assert not GroupMember.objects.filter(user=resident).exists()
    assert not Follower.objects.filter(user=resident).exists()
    task.refresh_from_db()
    assert (task.status, task.taken_by) == (Task.Status.OPEN, None)
    assert GroupMember.objects.filter(user=resident_two).count() == 2  # the others stay
    # Their time in the group stays, closed, under the anonymised account: the value report counts it.
    [period] = MembershipPeriod.objects.filter(user=resident)
    assert (period.group_id, period.ended_at is not None) == (group.pk, True)


@pytest.mark.django_db
def test_it_asks_the_password_again_and_changes_nothing_without_it(resident: User) -> None:
    for wrong in ("", "niet-mijn-wachtwoord"):
        with pytest.raises(ValidationError) as refused:
            account_delete(user=resident, password=wrong)
        assert refused.value.message_dict == {"password": ["Dit wachtwoord klopt niet."]}
    resident.refresh_from_db()
    assert (resident.email, resident.phone, resident.is_active) == ("resident_one@example.org", "0612345678", True)
