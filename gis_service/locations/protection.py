"""Which locations must not quietly change under people's feet.

Whoever moves or removes ground (a sync, a Part 4 edit) asks the registered *protectors* which
of those locations carry something: a contract, an open initiative. Protected locations are
kept, flagged with `ground_changed_at`, and the owner's regisseurs are e-mailed
(`services.locations_ground_changed`).

The locations app knows nothing of contracts or initiatives: the apps that own them register
their protector when Django starts, in their AppConfig.ready() (contracts/apps.py,
initiatives/apps.py). A test must never register one of its own: the production wiring is
what is under test.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

Protector = Callable[[Collection[int]], Collection[int]]

_protectors: dict[str, Protector] = {}


def register_protector(name: str, protector: Protector) -> None:
    """Registers (or replaces) a protector under `name`; called once per app at start-up."""
    _protectors[name] = protector


def registered_protectors() -> list[str]:
    return sorted(_protectors)


def protected_location_ids(location_ids: Collection[int]) -> set[int]:
    """The ids among `location_ids` that any registered protector protects."""
    if not location_ids:
        return set()
    protected: set[int] = set()
    for protector in list(_protectors.values()):
        protected.update(protector(location_ids))
    return protected & set(location_ids)
