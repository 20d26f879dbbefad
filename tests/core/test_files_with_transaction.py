"""A file stored for rows lives and dies with their transaction: kept on commit, removed on rollback
(of the whole transaction or of the savepoint it was stored in)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from gis_service.core.files import file_save_with_transaction


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(media_root: Path) -> set[str]:
    return {path.name for path in media_root.rglob("*.*")}


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_file_when_the_transaction_commits(media_root: Path) -> None:
    with transaction.atomic():
        file_save_with_transaction(name="kept.txt", content=b"a")
    assert stored(media_root) == {"kept.txt"}


@pytest.mark.django_db(transaction=True)
def test_it_removes_the_file_when_the_transaction_rolls_back(media_root: Path) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        file_save_with_transaction(name="gone.txt", content=b"a")
        assert stored(media_root) == {"gone.txt"}
        raise RuntimeError
    assert stored(media_root) == set()


@pytest.mark.django_db(transaction=True)
def test_a_savepoint_rolling_back_removes_only_its_own_files(media_root: Path) -> None:
    with transaction.atomic():
        file_save_with_transaction(name="outer.txt", content=b"a")
        with pytest.raises(RuntimeError), transaction.atomic():
            file_save_with_transaction(name="inner.txt", content=b"b")
            raise RuntimeError
        assert stored(media_root) == {"outer.txt"}
        with transaction.atomic():
            file_save_with_transaction(name="released.txt", content=b"c")
    assert stored(media_root) == {"outer.txt", "released.txt"}


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_file_simply_stays(media_root: Path) -> None:
    assert file_save_with_transaction(name="plain.txt", content=b"a") == "plain.txt"
    assert stored(media_root) == {"plain.txt"}
