import uuid

import pytest
from django.core.cache.backends.locmem import LocMemCache

from gis_service.contracts.api import OverlapCheckThrottle


@pytest.fixture(autouse=True)
def private_throttle_cache(monkeypatch: pytest.MonkeyPatch) -> LocMemCache:
    """Each test counts its own overlap checks, not those of other runs sharing Redis."""
    cache = LocMemCache(f"overlap-throttle-{uuid.uuid4()}", {})
    monkeypatch.setattr(OverlapCheckThrottle, "cache", cache)
    return cache
