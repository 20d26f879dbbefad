"""The group is created inside the transaction that activates a contract (see contracts.signals)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from gis_service.contracts.models import Contract
from gis_service.contracts.signals import contract_activated
from gis_service.groups.services import group_for_contract


@receiver(contract_activated, dispatch_uid="groups.create_group_for_contract")
def create_group_for_contract(sender: Any, *, contract: Contract, managers: list[Any], **kwargs: Any) -> None:
    group_for_contract(contract=contract, managers=managers)
