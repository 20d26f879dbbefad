"""A re-sync: stage the features, compare them with the locations in SQL, apply the difference;
or skip all of it when the source is as the last run left it."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.db import connection
from django.utils.translation import gettext as _

from gis_service.locations.services import locations_ground_changed
from importers import copy_binary, sql
from importers.models import ImportIssue, ImportRun
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


def stage(sync: Sync, batches: Iterator[Batch]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.DROP_TEMP)
        cursor.execute(sql.CREATE_STAGE)
        with cursor.cursor.copy(sql.COPY_STAGE) as copy:
            copy.write(copy_binary.HEADER)
            for batch in batches:
                copy.write(sql.stage_rows(batch.table))
                sync.run.read += len(batch)
                if sync.progress:
                    sync.progress(sync.run)
            copy.write(copy_binary.TRAILER)
        cursor.execute(sql.REJECT_WITHOUT_ID)
        cursor.execute(sql.REJECT_LONG_ID)
        cursor.execute(sql.REJECT_DUPLICATES)
        # Temporary tables get no statistics by themselves; without them the planner guesses.
        cursor.execute("ANALYZE import_stage (ext_id, reject)")


def merge(sync: Sync, srid: int) -> None:
    source = sync.source
    values = sync.values(srid)
    with connection.cursor() as cursor:
        cursor.execute(sql.PLAN_FOR_MERGE)
        cursor.execute(sql.CREATE_WORK, values)
        cursor.execute("ANALYZE import_work (location_id)")
        cursor.execute(sql.COUNT_STAGE)
        staged_ok, staged_rejected = cursor.fetchone()
        cursor.execute(sql.COUNT_WORK)
        created, updated, repaired, work_rejected, work_total = cursor.fetchone()
        unchanged = staged_ok - work_total
        if sync.run.read == 0:
            raise ImportFailed(f"{sync.where()}: the source has no features (check the layer and the filter)")
        if created + updated + unchanged == 0:
            cursor.execute(
                "SELECT code, count(*) FROM (SELECT reject AS code FROM import_stage WHERE reject IS NOT NULL"
                " UNION ALL SELECT code FROM import_work WHERE geom IS NULL) r GROUP BY code ORDER BY 2 DESC"
            )
            reasons = ", ".join(f"{code} {count}×" for code, count in cursor.fetchall())
            raise ImportFailed(f"{sync.where()}: every feature was rejected ({reasons}); nothing imported")
        cursor.execute(sql.CHANGED_GROUND)
        changed_ground = [row[0] for row in cursor.fetchall()]
        cursor.execute(sql.GONE, values)
        gone = [row[0] for row in cursor.fetchall()]
        cursor.execute(sql.RECORD_ISSUES, values)
        cursor.execute(sql.UPDATE_CHANGED, values)
        cursor.execute(sql.INSERT_NEW, values)
        sync.run.created_first_id, sync.run.created_last_id = cursor.fetchone()
        if gone:
            cursor.execute(sql.WITHDRAW, {**values, "ids": gone})
        cursor.execute(sql.COUNT_CURRENT, values)
        (current_after,) = cursor.fetchone()
        cursor.execute(sql.DROP_TEMP)
    run = sync.run
    run.created, run.updated, run.unchanged = created, updated, unchanged
    run.withdrawn, run.repaired, run.rejected = len(gone), repaired, staged_rejected + work_rejected
    run.current_after = current_after
    locations_ground_changed(
        owner_id=source.owner_id,
        moved=changed_ground,
        gone=gone,
        cause=_("het synchroniseren van de bron '%(name)s'") % {"name": source.name},
    )
