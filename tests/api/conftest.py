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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    """Personas get passwords; the production hasher is slow on purpose, which tests need not be."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
