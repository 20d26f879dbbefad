"""The group is created inside the transaction that activates a contract, and archived inside the one
that ends it (see contracts.signals)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from gis_service.contracts.models import Contract
from gis_service.contracts.signals import contract_activated, contract_ended
from gis_service.groups.models import Group
from gis_service.groups.services import group_archive, group_for_contract


@receiver(contract_activated, dispatch_uid="groups.create_group_for_contract")
def create_group_for_contract(sender: Any, *, contract: Contract, managers: list[Any], **kwargs: Any) -> None:
    group_for_contract(contract=contract, managers=managers)


@receiver(contract_ended, dispatch_uid="groups.archive_group_of_contract")
def archive_group_of_contract(sender: Any, *, contract: Contract, **kwargs: Any) -> None:
    group = Group.objects.filter(contract=contract).first()
    if group is not None:
        group_archive(group=group)
