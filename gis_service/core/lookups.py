"""Query pieces Django does not have."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Lookup


class AnyOf(Lookup):
    """`field = ANY(%s)`, the values bound as one array: `filter(AnyOf(F("location_id"), ids))`.

    Django writes `__in` as one bound value per element, which it quotes one by one: for the
    2,000 locations a 1%-changed, 1%-removed sync of 100,000 moves, asking a protector took
    33 ms with `__in` and 4 ms with this; for 100,000 withdrawn ones 1.5 s and 0.12 s.
    """

    prepare_rhs = False

    def __init__(self, lhs: Any, rhs: Collection[int]) -> None:
        super().__init__(lhs, list(rhs))

    def get_db_prep_lookup(self, value: Any, connection: Any) -> tuple[str, Any]:
        return "%s", (list(value),)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)
