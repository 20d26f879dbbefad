"""Which locations must not quietly change under people's feet.

A sync asks the registered *protectors* which of the locations it is about to withdraw or give
new ground are protected (they carry a contract or an open initiative). Protected locations
are kept, flagged with `ground_changed_at`, and the owner's regisseurs are e-mailed.

The importers do not know about contracts: the app that owns them registers a protector when it
starts, for instance in its AppConfig.ready()::

    from importers.protection import register_protector

    def locations_under_contract(location_ids):
        return set(Contract.objects.active().filter(location_id__in=location_ids)
                   .values_list("location_id", flat=True))

    register_protector("contracts", locations_under_contract)
"""

from __future__ import annotations

from collections.abc import Callable, Collection

Protector = Callable[[Collection[int]], Collection[int]]

_protectors: dict[str, Protector] = {}


def register_protector(name: str, protector: Protector) -> None:
    """Registers (or replaces) a protector under `name`; called once per app at start-up."""
    _protectors[name] = protector


def unregister_protector(name: str) -> None:
    _protectors.pop(name, None)


def protected_location_ids(location_ids: Collection[int]) -> set[int]:
    """The ids among `location_ids` that any registered protector protects."""
    if not location_ids:
        return set()
    protected: set[int] = set()
    for protector in list(_protectors.values()):
        protected.update(protector(location_ids))
    return protected & set(location_ids)
