"""A re-sync: stage the features, compare them with the locations in SQL, apply the difference;
or skip all of it when the source is as the last run left it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import numpy as np
from django.db import connection
from django.utils.translation import gettext as _

from gis_service.locations.services import locations_ground_changed
from importers import bulk, copy_binary, sql
from importers.models import ImportIssue, ImportRun
from importers.prefetch import prefetched
from importers.readers.base import Batch, ImportFailed
from importers.sync.context import Sync

logger = logging.getLogger(__name__)


def unchanged_since_last_run(sync: Sync) -> bool:
    """True (and the run filled in) when the source bytes and mapping equal the last
    successful run's and its locations are as that run left them: nothing to compare."""
    if sync.full or not sync.run.fingerprint:
        return False
    last = (
        ImportRun.objects.filter(source=sync.source, status=ImportRun.Status.SUCCEEDED)
        .exclude(pk=sync.run.pk)
        .order_by("-started_at", "-id")
        .first()
    )
    if last is None or last.fingerprint != sync.run.fingerprint or last.current_after is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute(sql.COUNT_CURRENT, {"source": sync.source.pk})
        (current,) = cursor.fetchone()
    if current != last.current_after:
        return False
    sync.run.read = last.read
    sync.run.total = last.read
    sync.run.rejected = last.rejected
    sync.run.unchanged = last.read - last.rejected
    sync.run.current_after = current
    ImportIssue.objects.bulk_create(
        ImportIssue(run=sync.run, feature_index=i.feature_index, external_id=i.external_id, kind=i.kind,
                    code=i.code, detail=i.detail)
        for i in last.issues.filter(kind=ImportIssue.Kind.REJECTED)
    )  # fmt: skip
    return True


class Known:
    """The hash of every current location of the source by external id, read once per run: a
    feature whose id and hash match one is unchanged and never reaches PostgreSQL again.

    Before, every feature was staged with its geometry and hashed and compared in SQL: a 2% change
    cost as much as comparing everything (1%/1% changed/removed of 100k: 2.6 s in the process, 2.1×
    a full ogr2ogr reload). Memory: one entry per location (~200 bytes: two short strings).
    """

    def __init__(self, hashes: dict[str, str | None]) -> None:
        self.hashes = hashes  # external id -> hash; None once a feature with that id was read
        self.new_ids: set[str] = set()  # ids of features without a current location, for duplicates
        self.unchanged = 0

    @classmethod
    def of_source(cls, sync: Sync) -> Known:
        with connection.cursor() as cursor:
            cursor.execute(sql.KNOWN_HASHES, {"source": sync.source.pk})
            return cls(dict(cursor.fetchall()))

    def changed(self, batch: Batch, *, salt: str) -> tuple[Any, list[bulk.Issue]]:
        """The batch's features that need the SQL merge (new, changed, reappearing ones), with the
        issues of those rejected for their id (missing, too long, seen before in this run)."""
        table = batch.table
        numbers = table.column("n").to_numpy()
        ext_ids = table.column("ext_id").to_pylist()
        issues: list[bulk.Issue] = []
        stage = np.zeros(len(ext_ids), dtype=bool)
        hashes = bulk.feature_hashes(table, salt=salt)
        known, new_ids = self.hashes, self.new_ids
        for i, ext_id in enumerate(ext_ids):
            if not ext_id or len(ext_id) > sql.MAX_ID_LENGTH:
                bulk.usable_ids(numbers[i : i + 1], [ext_id], seen_ids=new_ids, issues=issues)
                continue
            stored = known.get(ext_id, _ABSENT)
            if stored is _ABSENT:  # new, withdrawn, or an id seen before in this run
                if ext_id in new_ids:
                    issues.append(bulk.Issue(int(numbers[i]), ext_id, "rejected", "duplicate_id"))
                else:
                    new_ids.add(ext_id)
                    stage[i] = True
            elif stored is None:  # a second feature with the id of a current location
                issues.append(bulk.Issue(int(numbers[i]), ext_id, "rejected", "duplicate_id"))
            else:
                known[ext_id] = None
                if stored == hashes[i]:
                    self.unchanged += 1
                else:
                    stage[i] = True
        return (table.filter(stage) if stage.any() else None), issues

    def gone(self) -> list[str]:
        """External ids of current locations that no feature of the source named."""
        return [ext_id for ext_id, stored in self.hashes.items() if stored is not None]


_ABSENT = object()


def stage(sync: Sync, batches: Iterator[Batch], *, known: Known | None, salt: str) -> None:
    """Copies the features into the staging table: all of them, or with `known` only those that are
    not unchanged (decided by hash while a thread reads the next batch)."""
    issues: list[bulk.Issue] = []
    with connection.cursor() as cursor:
        cursor.execute(sql.DROP_TEMP)
        cursor.execute(sql.CREATE_STAGE)
        with cursor.cursor.copy(sql.COPY_STAGE) as copy:
            copy.write(copy_binary.HEADER)
            if known is None:
                for batch in batches:
                    copy.write(sql.stage_rows(batch.table))
                    sync.run.read += len(batch)
                    if sync.progress:
                        sync.progress(sync.run)
            else:
                # The thread reads (GDAL and Arrow release the GIL) while this one hashes and compares.
                for batch in prefetched(batches, lambda b: b):
                    changed, rejected = known.changed(batch, salt=salt)
                    if changed is not None:
                        copy.write(sql.stage_rows(changed))
                    issues.extend(rejected)
                    sync.run.read += len(batch)
                    if sync.progress:
                        sync.progress(sync.run)
            copy.write(copy_binary.TRAILER)
        if known is None:
            cursor.execute(sql.REJECT_WITHOUT_ID)
            cursor.execute(sql.REJECT_LONG_ID)
            cursor.execute(sql.REJECT_DUPLICATES)
        # Temporary tables get no statistics by themselves; without them the planner guesses.
        cursor.execute("ANALYZE import_stage (ext_id, reject)")
    ImportIssue.objects.bulk_create(
        ImportIssue(run=sync.run, feature_index=i.feature_index, external_id=i.external_id, kind=i.kind,
                    code=i.code, detail=i.detail)
        for i in issues
    )  # fmt: skip
    sync.prefiltered_rejected = len(issues)


def merge(sync: Sync, srid: int, *, known: Known | None) -> None:
    """Applies the staged features to the locations; with `known`, the features left out of the
    stage are unchanged, and the gone ones are those `known` did not see."""
    source = sync.source
    values = sync.values(srid)
    with connection.cursor() as cursor:
        cursor.execute(sql.PLAN_FOR_MERGE)
        cursor.execute(sql.CREATE_WORK, values)
        cursor.execute("ANALYZE import_work (location_id)")
        cursor.execute(sql.COUNT_STAGE)
        staged_ok, staged_rejected = cursor.fetchone()
        cursor.execute(sql.COUNT_WORK)
        created, updated, repaired, work_rejected, work_total, reappeared = cursor.fetchone()
        unchanged = staged_ok - work_total + (known.unchanged if known else 0)
        if sync.run.read == 0:
            raise ImportFailed(f"{sync.where()}: the source has no features (check the layer and the filter)")
        if created + updated + unchanged == 0:
            cursor.execute(
                "SELECT code, count(*) FROM (SELECT reject AS code FROM import_stage WHERE reject IS NOT NULL"
                " UNION ALL SELECT code FROM import_work WHERE geom IS NULL"
                # Rejected for their id before staging (Known.changed), recorded already.
                " UNION ALL SELECT code FROM importers_importissue WHERE run_id = %s AND kind = 'rejected')"
                " r GROUP BY code ORDER BY 2 DESC",
                [sync.run.pk],
            )
            reasons = ", ".join(f"{code} {count}×" for code, count in cursor.fetchall())
            raise ImportFailed(f"{sync.where()}: every feature was rejected ({reasons}); nothing imported")
        cursor.execute(sql.CHANGED_GROUND)
        changed_ground = [row[0] for row in cursor.fetchall()]
        if known is None:
            cursor.execute(sql.GONE, values)
        else:
            cursor.execute(sql.LOCATIONS_OF_IDS, {**values, "ext_ids": known.gone()})
        gone = [row[0] for row in cursor.fetchall()]
        cursor.execute(sql.RECORD_ISSUES, values)
        cursor.execute(sql.UPDATE_CHANGED, values)
        cursor.execute(sql.INSERT_NEW, values)
        sync.run.created_first_id, sync.run.created_last_id = cursor.fetchone()
        if gone:
            cursor.execute(sql.WITHDRAW, {**values, "ids": gone})
        if known is None:
            cursor.execute(sql.COUNT_CURRENT, values)
            (current_after,) = cursor.fetchone()
        else:
            # Counting them again scans the table (0.18 s for 100,000 of 200,000 rows); under the
            # source's lock nothing else adds or withdraws its locations.
            current_after = len(known.hashes) - len(gone) + created + reappeared
        cursor.execute(sql.DROP_TEMP)
    run = sync.run
    run.created, run.updated, run.unchanged = created, updated, unchanged
    rejected = staged_rejected + work_rejected + sync.prefiltered_rejected
    run.withdrawn, run.repaired, run.rejected = len(gone), repaired, rejected
    run.current_after = current_after
    locations_ground_changed(
        owner_id=source.owner_id,
        moved=changed_ground,
        gone=gone,
        cause=_("het synchroniseren van de bron '%(name)s'") % {"name": source.name},
    )
