"""Files that belong to rows: stored with the transaction that writes the rows, removed if it rolls back;
deleted with the transaction that deletes the rows, once it commits."""

from __future__ import annotations

import weakref
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction


def _delete_unless_committed(committed: list[bool], name: str) -> None:
    if not committed:
        default_storage.delete(name)


def file_save_with_transaction(*, name: str, content: bytes, using: str | None = None) -> str:
    """Store a file now (so a row pointing at it is never without it) and delete it again if the
    current transaction, or the savepoint it was stored in, rolls back; returns the stored name.

    Django has no rollback hook, but it runs a transaction's on_commit callbacks on commit and drops
    them, unrun, when the transaction or their savepoint rolls back (also when the connection closes
    mid-transaction). The callback here only marks the file as committed; a finalizer on the
    callback deletes the file once Django lets go of it unrun. CPython frees the callback the moment
    it leaves Django's list (nothing else holds it), so the file goes during the rollback itself.
    Outside any transaction on_commit runs at once and the file simply stays."""
    stored = default_storage.save(name, ContentFile(content))
    committed: list[bool] = []

    def mark_committed() -> None:
        committed.append(True)

    weakref.finalize(mark_committed, _delete_unless_committed, committed, stored)
    transaction.on_commit(mark_committed, using=using)
    return stored


def files_delete_with_transaction(*, names: Sequence[str], using: str | None = None) -> None:
    """Delete stored files once the current transaction, which deletes their rows, commits: a rollback
    keeps rows and files together. Outside any transaction they go at once."""
    kept = list(names)

    def delete() -> None:
        for name in kept:
            default_storage.delete(name)

    transaction.on_commit(delete, using=using)
