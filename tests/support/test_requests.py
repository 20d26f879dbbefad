"""Asking and answering: only supporters on the owner's allow-list, only what they offer, one answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gis_service.support import services
from gis_service.support.models import SupportRequest
from tests.conftest import _user
from tests.support.factories import gardener


def _ask(group, manager, supporter, kind="advies"):
    return services.support_ask(
        group=group, supporter=supporter, kind=kind, wanted_on=timezone.localdate() + dt.timedelta(days=1),
        message="Kun je helpen?", by=manager,
    )  # fmt: skip


@pytest.mark.django_db
def test_a_group_asks_only_supporters_its_owner_allows(group, manager, owner_a, owner_b, regisseur_a, regisseur_b):
    elsewhere = gardener(owner_b, regisseur_b, _user("hovenier_b"))
    with pytest.raises(ValidationError, match="niet op de lijst"):
        _ask(group, manager, elsewhere)
    services.allow_list_add(owner=owner_a, supporter=elsewhere, by=regisseur_a)
    assert _ask(group, manager, elsewhere).status == SupportRequest.Status.ASKED
    services.allow_list_remove(owner=owner_a, supporter=elsewhere, by=regisseur_a)
    with pytest.raises(ValidationError, match="niet op de lijst"):
        _ask(group, manager, elsewhere)


@pytest.mark.django_db
def test_a_group_asks_only_for_what_the_supporter_offers(group, manager, supporter) -> None:
    with pytest.raises(ValidationError, match="biedt dit niet aan"):
        _ask(group, manager, supporter, kind="organiseren")


@pytest.mark.django_db
def test_a_request_is_answered_once_by_its_supporter(group, manager, supporter, regisseur_a) -> None:
    request = _ask(group, manager, supporter)
    for user in (manager, regisseur_a):
        with pytest.raises(PermissionDenied):
            services.support_answer(request=request, by=user, accept=True)
    stale = SupportRequest.objects.get(pk=request.pk)  # a second tab, loaded before the first answer
    services.support_answer(request=request, by=supporter.user, accept=False, answer="Die week niet.")
    with pytest.raises(ValidationError, match="al beantwoord"):
        services.support_answer(request=stale, by=supporter.user, accept=True)
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.DECLINED and request.answer == "Die week niet."


@pytest.mark.django_db
def test_a_volunteer_or_a_closed_group_asks_nothing(group, manager, supporter) -> None:
    volunteer = _user("volunteer_v")
    group.members.create(user=volunteer, role="vrijwilliger")
    with pytest.raises(PermissionDenied):
        _ask(group, volunteer, supporter)
    group.is_open = False
    group.save()
    with pytest.raises(PermissionDenied):
        _ask(group, manager, supporter)
    assert not SupportRequest.objects.exists()
