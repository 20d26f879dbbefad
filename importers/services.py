"""Importing a source as locations and keeping them in sync: the one entry point is source_sync."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_service.locations.models import Location
from gis_service.locations.services import locations_ground_changed
from gis_service.owners.models import Owner
from importers import bulk, copy_binary, sql, workfolders
from importers.models import ImportIssue, ImportRun, Source
from importers.prefetch import prefetched
from importers.progress import Heartbeat
from importers.readers import fingerprint_of, open_stream
from importers.readers.base import Batch, FeatureStream, ImportFailed, within_area_of_use

logger = logging.getLogger(__name__)

# Bumped when the merge changes how a feature becomes a location: the stored hashes then no
# longer match, and the next sync rewrites every location once.
MERGE_VERSION = "1"
LOCATION_VALID_GEOMETRY = "location_geometry_valid"  # the CHECK constraint on locations_location

Progress = Callable[[ImportRun], None]


@dataclass(frozen=True)
class SourceOptions:
    """What the caller says about a source; empty values leave the saved source as it is."""

    location: str
    kind: str = ""
    layer: str = ""
    crs: str = ""
    id_field: str = ""
    name_field: str = ""
    type_field: str = ""
    where: str = ""


def guess_kind(location: str) -> str:
    """file for a path, wfs for a URL that names a WFS, else oapif for a URL."""
    lower = location.lower()
    if not lower.startswith(("http://", "https://")):
        return Source.Kind.FILE
    if "service=wfs" in lower or "/wfs" in lower or "mapserv" in lower:
        return Source.Kind.WFS
    return Source.Kind.OAPIF


def source_ensure(*, owner: Owner, name: str, options: SourceOptions) -> Source:
    """The owner's source named `name`, created on first use; given options update it."""
    kind = options.kind or guess_kind(options.location)
    if kind not in Source.Kind.values:
        raise ValueError(f"unknown source kind {kind!r}: choose one of {', '.join(Source.Kind.values)}")
    location = options.location
    if kind == Source.Kind.FILE:
        location = str(Path(location).resolve())
    source, created = Source.objects.get_or_create(
        owner=owner, name=name, defaults={"kind": kind, "location": location}
    )
    changed: list[str] = []
    for field in ("location", "layer", "crs", "id_field", "name_field", "type_field", "where"):
        value = location if field == "location" else getattr(options, field)
        if value and getattr(source, field) != value:
            setattr(source, field, value)
            changed.append(field)
    if options.kind and source.kind != kind:
        source.kind = kind
        changed.append("kind")
    if changed and not created:
        source.save(update_fields=[*changed, "updated_at"])
    elif changed:
        source.save()
    return source


def _salt(source: Source, srid: int) -> str:
    """Everything besides the feature itself that decides what its location looks like."""
    return json.dumps(
        [MERGE_VERSION, settings.STORAGE_SRID, srid, source.id_field, source.name_field, source.type_field]
    )


def source_sync(*, source: Source, full: bool = False, progress: Progress | None = None) -> ImportRun:
    """Reads the source and brings its locations in line with it, all or nothing.

    Returns the run, succeeded or failed; a failed run changed no location. With `full`, every
    feature is compared even when the source is byte-identical to the last successful run.
    """
    # A run of this source whose worker died would show "running" beside this one until the sweep.
    runs_fail_stale(source=source)
    run = ImportRun.objects.create(source=source, heartbeat_at=timezone.now())
    started = time.monotonic()
    sync = _Sync(source=source, run=run, full=full, progress=progress)
    with Heartbeat(run, interval=settings.IMPORT_HEARTBEAT_SECONDS):
        try:
            with transaction.atomic():
                sync.execute()
        except ImportFailed as error:
            _fail(run, str(error))
        except Exception as error:
            logger.exception("import of %s failed", source)
            _fail(run, f"internal error: {type(error).__name__}: {error}")
        else:
            run.status = ImportRun.Status.SUCCEEDED
        run.finished_at = timezone.now()
        run.save()
    if run.status == ImportRun.Status.SUCCEEDED:
        _refresh_statistics(run)
    logger.info("import %s of %s: %s in %.2f s", run.pk, source, run.status, time.monotonic() - started)
    return run


def _refresh_statistics(run: ImportRun) -> None:
    """ANALYZE the locations the run changed in bulk, once it has committed.

    Only new and withdrawn rows change what the statistics say about sources (an update keeps
    source and external id), and ANALYZE samples a fixed 30,000 rows whatever changed, so it runs
    when enough rows changed to mislead the planner. Outside the run's transaction: ANALYZE holds
    its lock on the table until commit, which would serialise the runs of every source.
    """
    changed = run.created + run.withdrawn
    if changed == 0 or changed < settings.IMPORT_ANALYZE_MIN_ROWS:
        return
    started = time.monotonic()
    try:
        # A savepoint when a caller's transaction is open, so a failure here cannot break it.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql.ANALYZE_LOCATIONS)
    except DatabaseError:
        # The run has committed; stale statistics make the next one slower, not wrong.
        logger.warning("import %s: ANALYZE of the locations failed", run.pk, exc_info=True)
        return
    logger.info("import %s: analyzed the locations in %.2f s", run.pk, time.monotonic() - started)


def runs_fail_stale(*, source: Source | None = None) -> list[int]:
    """Fails the running runs (of `source`, or of every source) whose heartbeat stopped, and
    removes their work folders; without `source` also the folders left by any run that is not
    running. Returns the ids of the runs it failed.

    A heartbeat stops when the process dies (SIGKILL, out of memory, the machine): the run's
    transaction dies with its connection, so its locations are as before; PostgreSQL notices a
    vanished client within sql.CLIENT_CHECK's interval even in the middle of a statement.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.IMPORT_RUN_STALE_SECONDS)
    stale = ImportRun.objects.filter(status=ImportRun.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)  # runs from before heartbeats
    )
    if source is not None:
        stale = stale.filter(source=source)
    failed = []
    for run_id, heartbeat_at, started_at in stale.values_list("pk", "heartbeat_at", "started_at"):
        last = timezone.localtime(heartbeat_at or started_at).strftime("%Y-%m-%d %H:%M:%S")
        message = _("the worker stopped answering at %(time)s; the run was stopped and changed nothing") % {
            "time": last
        }
        # Update only if unchanged: a heartbeat written since it was read means the run lives.
        if ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.RUNNING, heartbeat_at=heartbeat_at).update(
            status=ImportRun.Status.FAILED, finished_at=timezone.now(), message=message
        ):
            logger.warning("import %s failed: %s", run_id, message)
            failed.append(run_id)
    on_disk = workfolders.folders()
    if source is None:
        # A folder of a run unknown to this database is left alone: it is not ours to judge.
        statuses = dict(ImportRun.objects.filter(pk__in=on_disk).values_list("pk", "status"))
        gone = [run_id for run_id, status in statuses.items() if status != ImportRun.Status.RUNNING]
    else:
        gone = [run_id for run_id in failed if run_id in on_disk]
    for run_id in gone:
        workfolders.remove(on_disk[run_id])
    return failed


def _fail(run: ImportRun, message: str) -> None:
    run.status = ImportRun.Status.FAILED
    run.message = message
    # Counts from the rolled-back transaction describe nothing that happened.
    run.created = run.updated = run.unchanged = run.withdrawn = run.repaired = run.rejected = 0
    run.current_after = None
    run.fingerprint = ""


class _Sync:
    """One run inside its transaction."""

    def __init__(self, *, source: Source, run: ImportRun, full: bool, progress: Progress | None) -> None:
        self.source = source
        self.run = run
        self.full = full
        self.progress = progress

    def execute(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql.CLIENT_CHECK)
            cursor.execute(sql.LOCK_SOURCE, {"source": self.source.pk})
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-fingerprint") as pool:
            # Hashing the files (~0.15 s per 100k features) runs beside the first batch's reading.
            fingerprint = pool.submit(
                fingerprint_of, self.source, merge_version=f"{MERGE_VERSION}/{settings.STORAGE_SRID}"
            )
            if self._source_is_new():
                # Nothing to compare with, so the short cut below cannot apply.
                loaded = self._load_first_or_fall_back()
                self.run.fingerprint = fingerprint.result()
                if loaded:
                    return
            else:
                self.run.fingerprint = fingerprint.result()
                if self._unchanged_since_last_run():
                    return
        with open_stream(self.source, run_id=self.run.pk) as stream:
            self.run.total = stream.info.total
            self._stage(self._checked(stream))
            self.run.total = stream.info.total  # services tell it with their first page
            self._merge(stream.info.srid)

    def _load_first_or_fall_back(self) -> bool:
        """The first import by COPY; False (and nothing written) when PostgreSQL's CHECK found a
        geometry invalid that GEOS in this process passed: their GEOS versions may differ on
        rare edge cases, and then the SQL merge, which validates in PostgreSQL, does it all."""
        try:
            with transaction.atomic(), open_stream(self.source, run_id=self.run.pk) as stream:
                self.run.total = stream.info.total
                self._load_first(stream)
        except (IntegrityError, psycopg.errors.CheckViolation) as error:
            # The COPY runs on psycopg's cursor (its errors arrive unwrapped); others through Django.
            diag = getattr(error, "diag", None) or getattr(error.__cause__, "diag", None)
            if diag is None or diag.constraint_name != LOCATION_VALID_GEOMETRY:
                raise
            logger.warning("%s: a geometry GEOS passed here is invalid for PostGIS; merging in SQL", self._where())
            self.run.read = 0  # the rows, issues and counts of the attempt were rolled back
            return False
        return True

    def _source_is_new(self) -> bool:
        """True when no location (current or withdrawn) comes from this source yet."""
        with connection.cursor() as cursor:
            cursor.execute(sql.SOURCE_HAS_LOCATIONS, {"source": self.source.pk})
            return not cursor.fetchone()[0]

    def _load_first(self, stream: FeatureStream) -> None:
        """Every feature is new: plain ones are prepared here and copied straight into the
        locations (importers/bulk.py); the rest goes through the staging table and the SQL merge."""
        source = self.source
        srid = stream.info.srid
        target = bulk.Target(
            owner_id=source.owner_id, source_id=source.pk, status=Location.NEW_STATUS,
            salt=_salt(source, srid), srid=srid, storage_srid=settings.STORAGE_SRID,
        )  # fmt: skip
        seen_ids: set[str] = set()
        issues: list[bulk.Issue] = []
        copied = staged = 0
        with connection.cursor() as cursor:
            cursor.execute(sql.DROP_TEMP)
            cursor.execute(sql.CREATE_STAGE)
            skip_row_checks = self._check_references_once(cursor)
            cursor.execute(sql.LAST_LOCATION_ID)
            (id_before,) = cursor.fetchone()
            if skip_row_checks:  # for the COPYs below; the staging table has no FKs or triggers anyway
                cursor.execute(sql.SKIP_ROW_CHECKS)
            for prepared in prefetched(
                self._checked(stream), lambda b: bulk.prepare(b, target=target, seen_ids=seen_ids)
            ):
                if prepared.rows:
                    with cursor.cursor.copy(bulk.COPY_LOCATIONS) as copy:
                        copy.write(prepared.payload)
                    copied += prepared.rows
                if prepared.rest is not None:
                    self._copy_to_stage(cursor, prepared.rest)
                    staged += prepared.rest.num_rows
                issues.extend(prepared.issues)
                self.run.read += prepared.read
                if self.progress:
                    self.progress(self.run)
            if skip_row_checks:
                cursor.execute(sql.RESUME_ROW_CHECKS)
            self.run.total = stream.info.total
            created, repaired, rejected = copied, 0, 0
            if staged:
                cursor.execute("ANALYZE import_stage (ext_id, reject)")
                values = self._values(srid)
                cursor.execute(sql.PLAN_FOR_MERGE)
                cursor.execute(sql.CREATE_WORK, values)
                cursor.execute(sql.COUNT_WORK)
                work_created, _, repaired, rejected, _ = cursor.fetchone()
                created += work_created
                cursor.execute(sql.RECORD_ISSUES, values)
                cursor.execute(sql.INSERT_NEW, values)
            ImportIssue.objects.bulk_create(
                ImportIssue(run=self.run, feature_index=i.feature_index, external_id=i.external_id, kind=i.kind,
                            code=i.code, detail=i.detail)
                for i in issues
            )  # fmt: skip
            repaired += sum(1 for i in issues if i.kind == "repaired")
            rejected += sum(1 for i in issues if i.kind == "rejected")
            if self.run.read == 0:
                raise ImportFailed(f"{self._where()}: the source has no features (check the layer and the filter)")
            if created == 0:
                cursor.execute(
                    "SELECT code, count(*) FROM (SELECT code FROM importers_importissue WHERE run_id = %s"
                    " AND kind = 'rejected') r GROUP BY code ORDER BY 2 DESC",
                    [self.run.pk],
                )
                reasons = ", ".join(f"{code} {count}×" for code, count in cursor.fetchall())
                raise ImportFailed(f"{self._where()}: every feature was rejected ({reasons}); nothing imported")
            cursor.execute(sql.LAST_LOCATION_ID)
            self.run.created_first_id, self.run.created_last_id = id_before + 1, cursor.fetchone()[0]
            cursor.execute(sql.DROP_TEMP)
        run = self.run
        # Every location of a new source is one this run created, and current.
        run.created, run.repaired, run.rejected, run.current_after = created, repaired, rejected, created

    def _checked(self, stream: FeatureStream) -> Iterator[Batch]:
        """The stream's batches; coordinates that cannot be reprojected fail the run here, with the
        feature and coordinate named. Sources in the storage CRS are not reprojected and not checked."""
        if stream.info.srid == settings.STORAGE_SRID:
            return stream.batches()
        return within_area_of_use(stream.batches(), srid=stream.info.srid, where=self._where())

    def _check_references_once(self, cursor: Any) -> bool:
        """Checks and key-share-locks the owner and source every copied row refers to, as the
        foreign keys would per row; True when the per-row checks may then be skipped.

        Skipping them (session_replication_role = replica, while the batches are copied) saves
        about a second per 100k features. Only superusers and roles granted SET on that parameter
        may; others keep the per-row checks. Triggers of our own on locations_location are
        ENABLE ALWAYS and fire either way (ogc/migrations/0004).
        """
        values = {"owner": self.source.owner_id, "source": self.source.pk}
        for statement in (sql.LOCK_OWNER, sql.LOCK_SOURCE_ROW):
            cursor.execute(statement, values)
            if cursor.fetchone() is None:
                raise ImportFailed(f"{self._where()}: the source or its owner was deleted during the import")
        cursor.execute(sql.MAY_SKIP_ROW_CHECKS)
        return bool(cursor.fetchone()[0])

    def _copy_to_stage(self, cursor: Any, table: Any) -> None:
        with cursor.cursor.copy(sql.COPY_STAGE) as copy:
            copy.write(copy_binary.HEADER + sql.stage_rows(table) + copy_binary.TRAILER)

    def _values(self, srid: int) -> dict[str, Any]:
        return {
            "source": self.source.pk,
            "owner": self.source.owner_id,
            "srid": srid,
            "storage_srid": settings.STORAGE_SRID,
            "salt": _salt(self.source, srid),
            "run": self.run.pk,
            "status": Location.NEW_STATUS,
        }

    def _unchanged_since_last_run(self) -> bool:
        """True (and the run filled in) when the source bytes and mapping equal the last
        successful run's and its locations are as that run left them: nothing to compare."""
        if self.full or not self.run.fingerprint:
            return False
        last = (
            ImportRun.objects.filter(source=self.source, status=ImportRun.Status.SUCCEEDED)
            .exclude(pk=self.run.pk)
            .order_by("-started_at", "-id")
            .first()
        )
        if last is None or last.fingerprint != self.run.fingerprint or last.current_after is None:
            return False
        with connection.cursor() as cursor:
            cursor.execute(sql.COUNT_CURRENT, {"source": self.source.pk})
            (current,) = cursor.fetchone()
        if current != last.current_after:
            return False
        self.run.read = last.read
        self.run.total = last.read
        self.run.rejected = last.rejected
        self.run.unchanged = last.read - last.rejected
        self.run.current_after = current
        ImportIssue.objects.bulk_create(
            ImportIssue(run=self.run, feature_index=i.feature_index, external_id=i.external_id, kind=i.kind,
                        code=i.code, detail=i.detail)
            for i in last.issues.filter(kind=ImportIssue.Kind.REJECTED)
        )  # fmt: skip
        return True

    def _stage(self, batches: Iterator[Batch]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql.DROP_TEMP)
            cursor.execute(sql.CREATE_STAGE)
            with cursor.cursor.copy(sql.COPY_STAGE) as copy:
                copy.write(copy_binary.HEADER)
                for batch in batches:
                    copy.write(sql.stage_rows(batch.table))
                    self.run.read += len(batch)
                    if self.progress:
                        self.progress(self.run)
                copy.write(copy_binary.TRAILER)
            cursor.execute(sql.REJECT_WITHOUT_ID)
            cursor.execute(sql.REJECT_LONG_ID)
            cursor.execute(sql.REJECT_DUPLICATES)
            # Temporary tables get no statistics by themselves; without them the planner guesses.
            cursor.execute("ANALYZE import_stage (ext_id, reject)")

    def _merge(self, srid: int) -> None:
        source = self.source
        values = self._values(srid)
        with connection.cursor() as cursor:
            cursor.execute(sql.PLAN_FOR_MERGE)
            cursor.execute(sql.CREATE_WORK, values)
            cursor.execute("ANALYZE import_work (location_id)")
            cursor.execute(sql.COUNT_STAGE)
            staged_ok, staged_rejected = cursor.fetchone()
            cursor.execute(sql.COUNT_WORK)
            created, updated, repaired, work_rejected, work_total = cursor.fetchone()
            unchanged = staged_ok - work_total
            if self.run.read == 0:
                raise ImportFailed(f"{self._where()}: the source has no features (check the layer and the filter)")
            if created + updated + unchanged == 0:
                cursor.execute(
                    "SELECT code, count(*) FROM (SELECT reject AS code FROM import_stage WHERE reject IS NOT NULL"
                    " UNION ALL SELECT code FROM import_work WHERE geom IS NULL) r GROUP BY code ORDER BY 2 DESC"
                )
                reasons = ", ".join(f"{code} {count}×" for code, count in cursor.fetchall())
                raise ImportFailed(f"{self._where()}: every feature was rejected ({reasons}); nothing imported")
            cursor.execute(sql.CHANGED_GROUND)
            changed_ground = [row[0] for row in cursor.fetchall()]
            cursor.execute(sql.GONE, values)
            gone = [row[0] for row in cursor.fetchall()]
            cursor.execute(sql.RECORD_ISSUES, values)
            cursor.execute(sql.UPDATE_CHANGED, values)
            cursor.execute(sql.INSERT_NEW, values)
            self.run.created_first_id, self.run.created_last_id = cursor.fetchone()
            if gone:
                cursor.execute(sql.WITHDRAW, {**values, "ids": gone})
            cursor.execute(sql.COUNT_CURRENT, values)
            (current_after,) = cursor.fetchone()
            cursor.execute(sql.DROP_TEMP)
        run = self.run
        run.created, run.updated, run.unchanged = created, updated, unchanged
        run.withdrawn, run.repaired, run.rejected = len(gone), repaired, staged_rejected + work_rejected
        run.current_after = current_after
        locations_ground_changed(
            owner_id=source.owner_id,
            moved=changed_ground,
            gone=gone,
            cause=_("het synchroniseren van de bron '%(name)s'") % {"name": source.name},
        )

    def _where(self) -> str:
        return f"{self.source.location}" + (f" layer {self.source.layer}" if self.source.layer else "")


def run_summary_json(run: ImportRun) -> str:
    return json.dumps(run.summary(), ensure_ascii=False)


DEMO_BGT = Path("fixtures") / "bgt" / "bgt_begroeidterreindeel_hilversum.gml"


def demo_bgt_sync(*, owner: Owner) -> ImportRun:
    """Imports the demo BGT extract for `owner` (type from the BGT fysiekVoorkomen); a no-op when
    the file has not changed since the last run."""
    source = source_ensure(
        owner=owner,
        name="bgt-begroeidterreindeel",
        options=SourceOptions(
            location=str(Path(settings.BASE_DIR) / DEMO_BGT), id_field="lokaalID", type_field="class"
        ),
    )
    return source_sync(source=source)


def sources_due(*, now: datetime | None = None) -> list[Source]:
    """Sources with a sync interval whose last run started at least that long ago (or never ran),
    and that are not running now."""
    now = now or timezone.now()
    due = []
    for source in Source.objects.filter(sync_interval_minutes__isnull=False).exclude(sync_interval_minutes=0):
        last = source.runs.order_by("-started_at").first()
        if (
            last is None
            or last.status != ImportRun.Status.RUNNING
            and last.started_at <= now - timedelta(minutes=source.sync_interval_minutes or 0)
        ):
            due.append(source)
    return due
