"""The first import of a source: every feature is new, so most are copied straight in."""

from __future__ import annotations

import logging
import tempfile
from typing import Any

import psycopg
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext

from gis_service.locations.models import Location
from importers import bulk, copy_binary, sql
from importers.idset import IdSet
from importers.models import ImportIssue
from importers.prefetch import prefetched
from importers.readers import open_stream
from importers.readers.base import FeatureStream, ImportFailed
from importers.sync.context import LOCATION_VALID_GEOMETRY, Sync, salt

logger = logging.getLogger(__name__)

# The staging rows of features the SQL merge converts (another CRS, curves, Z, no geometry) are
# held in memory up to this size, then in an unnamed temporary file (gone with the process, even a
# killed one): a source wholly in another CRS stages every feature.
REST_IN_MEMORY = 32 * 1024 * 1024
REST_CHUNK = 4 * 1024 * 1024


def source_is_new(sync: Sync) -> bool:
    """True when no location (current or withdrawn) comes from this source yet."""
    with connection.cursor() as cursor:
        cursor.execute(sql.SOURCE_HAS_LOCATIONS, {"source": sync.source.pk})
        return cursor.fetchone() is None


def load_first_or_fall_back(sync: Sync) -> bool:
    """The first import by COPY; False (and nothing written) when PostgreSQL's CHECK found a
    geometry invalid that GEOS in this process passed: their GEOS versions may differ on
    rare edge cases, and then the SQL merge, which validates in PostgreSQL, does it all."""
    try:
        with transaction.atomic(), open_stream(sync.source, run_id=sync.run.pk) as stream:
            sync.run.total = stream.info.total
            load_first(sync, stream)
    except (IntegrityError, psycopg.errors.CheckViolation) as error:
        # The COPY runs on psycopg's cursor (its errors arrive unwrapped); others through Django.
        diag = getattr(error, "diag", None) or getattr(error.__cause__, "diag", None)
        if diag is None or diag.constraint_name != LOCATION_VALID_GEOMETRY:
            raise
        logger.warning("%s: a geometry GEOS passed here is invalid for PostGIS; merging in SQL", sync.where())
        sync.run.read = 0  # the rows, issues and counts of the attempt were rolled back
        return False
    return True


def load_first(sync: Sync, stream: FeatureStream) -> None:
    """Every feature is new: plain ones are prepared here and copied straight into the
    locations (importers/bulk.py); the rest goes through the staging table and the SQL merge."""
    source = sync.source
    srid = stream.info.srid
    target = bulk.Target(
        owner_id=source.owner_id, source_id=source.pk, status=Location.NEW_STATUS,
        salt=salt(source, srid), srid=srid, storage_srid=settings.STORAGE_SRID,
    )  # fmt: skip
    seen_ids = IdSet()
    issues: list[bulk.Issue] = []
    copied = staged = 0
    with connection.cursor() as cursor:
        cursor.execute(sql.DROP_TEMP)
        cursor.execute(sql.CREATE_STAGE)
        skip_row_checks = check_references_once(sync, cursor)
        cursor.execute(sql.LAST_LOCATION_ID)
        (id_before,) = cursor.fetchone()
        if skip_row_checks:  # for the COPYs below; the staging table has no FKs or triggers anyway
            cursor.execute(sql.SKIP_ROW_CHECKS)
        # One COPY for every batch: the statement-level triggers on the locations (ogc/sql/) then
        # run once over all new rows instead of once per batch. Measured on 100,000 features: the
        # triggers took 13.4 s as one statement and 35.8 s as 20 statements of 5,000, each batch
        # updating the same grid cells again. The features for the SQL merge cannot be copied into
        # the staging table while this COPY is open: their COPY rows wait in a spool file.
        with tempfile.SpooledTemporaryFile(max_size=REST_IN_MEMORY) as rest:
            with cursor.cursor.copy(bulk.COPY_LOCATIONS) as copy:
                copy.write(copy_binary.HEADER)
                batches = prefetched(sync.checked(stream), lambda b: bulk.prepare(b, target=target, seen_ids=seen_ids))
                for prepared in batches:
                    if prepared.rows:
                        copy.write(prepared.payload)
                        copied += prepared.rows
                    if prepared.rest is not None:
                        rest.write(sql.stage_rows(prepared.rest))
                        staged += prepared.rest.num_rows
                    issues.extend(prepared.issues)
                    sync.run.read += prepared.read
                    if sync.progress:
                        sync.progress(sync.run)
                copy.write(copy_binary.TRAILER)
            if skip_row_checks:
                cursor.execute(sql.RESUME_ROW_CHECKS)
            if staged:
                rest.seek(0)
                with cursor.cursor.copy(sql.COPY_STAGE) as copy:
                    copy.write(copy_binary.HEADER)
                    while chunk := rest.read(REST_CHUNK):
                        copy.write(chunk)
                    copy.write(copy_binary.TRAILER)
        sync.run.total = stream.info.total
        created, repaired, rejected = copied, 0, 0
        if staged:
            cursor.execute("ANALYZE import_stage (ext_id, reject)")
            values = sync.values(srid)
            cursor.execute(sql.PLAN_FOR_MERGE)
            cursor.execute(sql.CREATE_WORK_OF_NEW, values)
            cursor.execute(sql.COUNT_WORK)
            work_created, _, repaired, rejected, _, _ = cursor.fetchone()
            created += work_created
            sync.record_issues(cursor, values)
            cursor.execute(sql.INSERT_NEW, values)
        ImportIssue.objects.bulk_create(
            ImportIssue(run=sync.run, feature_index=i.feature_index, external_id=i.external_id, kind=i.kind,
                        code=i.code, detail=i.detail)
            for i in issues
        )  # fmt: skip
        repaired += sum(1 for i in issues if i.kind == "repaired")
        rejected += sum(1 for i in issues if i.kind == "rejected")
        if sync.run.read == 0:
            raise ImportFailed(
                gettext("%(where)s: de bron heeft geen objecten (controleer de laag en het filter)")
                % {"where": sync.where()}
            )
        if created == 0:
            cursor.execute(
                "SELECT code, count(*) FROM (SELECT code FROM importers_importissue WHERE run_id = %s"
                " AND kind = 'rejected') r GROUP BY code ORDER BY 2 DESC",
                [sync.run.pk],
            )
            reasons = ", ".join(f"{code} {count}×" for code, count in cursor.fetchall())
            raise ImportFailed(
                gettext("%(where)s: elk object is geweigerd (%(reasons)s); er is niets geïmporteerd")
                % {"where": sync.where(), "reasons": reasons}
            )
        cursor.execute(sql.LAST_LOCATION_ID)
        sync.run.created_first_id, sync.run.created_last_id = id_before + 1, cursor.fetchone()[0]
        cursor.execute(sql.DROP_TEMP)
    run = sync.run
    # Every location of a new source is one this run created, and current.
    run.created, run.repaired, run.rejected, run.current_after = created, repaired, rejected, created


def check_references_once(sync: Sync, cursor: Any) -> bool:
    """Checks and key-share-locks the owner and source every copied row refers to, as the
    foreign keys would per row; True when the per-row checks may then be skipped.

    Skipping them (session_replication_role = replica, while the batches are copied) saves
    about a second per 100k features. Only superusers and roles granted SET on that parameter
    may; others keep the per-row checks. Triggers of our own on locations_location are
    ENABLE ALWAYS and fire either way (ogc/migrations/0004).
    """
    values = {"owner": sync.source.owner_id, "source": sync.source.pk}
    for statement in (sql.LOCK_OWNER, sql.LOCK_SOURCE_ROW):
        cursor.execute(statement, values)
        if cursor.fetchone() is None:
            raise ImportFailed(
                gettext("%(where)s: de bron of haar eigenaar is tijdens de import verwijderd") % {"where": sync.where()}
            )
    cursor.execute(sql.MAY_SKIP_ROW_CHECKS)
    return bool(cursor.fetchone()[0])
