"""A run of a sync: all or nothing, with a heartbeat; runs whose worker died are failed."""

from __future__ import annotations

import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_service.core.dates import written_datetime
from importers import sql, workfolders
from importers.models import ImportRun, Source
from importers.prefetch import prefetching
from importers.progress import Heartbeat
from importers.readers import fingerprint_of, open_stream
from importers.readers.base import Batch, ImportFailed
from importers.sync.context import MERGE_VERSION, Progress, Sync, salt
from importers.sync.first_load import load_first_or_fall_back, source_is_new
from importers.sync.merge import Hashed, Known, hashed, merge, stage_all, stage_changed, unchanged_since_last_run

logger = logging.getLogger(__name__)

# Batches a re-sync reads ahead while the known hashes arrive (5,000 features each, a few MB).
READ_AHEAD = 4


def source_sync(*, source: Source, full: bool = False, progress: Progress | None = None) -> ImportRun:
    """Reads the source and brings its locations in line with it, all or nothing.

    Returns the run, succeeded or failed; a failed run changed no location. With `full`, every
    feature is compared even when the source is byte-identical to the last successful run.
    """
    # A run of this source whose worker died would show "running" beside this one until the sweep.
    runs_fail_stale(source=source)
    run = ImportRun.objects.create(source=source, heartbeat_at=timezone.now())
    started = time.monotonic()
    sync = Sync(source=source, run=run, full=full, progress=progress)
    with Heartbeat(run, interval=settings.IMPORT_HEARTBEAT_SECONDS):
        try:
            with transaction.atomic():
                execute(sync)
        except ImportFailed as error:
            _fail(run, str(error))
        except Exception as error:
            logger.exception("import of %s failed", source)
            _fail(run, _("interne fout: %(type)s: %(error)s") % {"type": type(error).__name__, "error": error})
        else:
            run.status = ImportRun.Status.SUCCEEDED
            run.message = "\n".join(m for m in (sync.assumed_crs_note(), run.message) if m)
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
        last = written_datetime(heartbeat_at or started_at)  # in the language of the sweep or the new run
        message = _("de worker antwoordt niet meer sinds %(time)s; de run is gestopt en heeft niets veranderd") % {
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


def execute(sync: Sync) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.CLIENT_CHECK)
        cursor.execute(sql.LOCK_SOURCE, {"source": sync.source.pk})
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-fingerprint") as pool:
        # Hashing the files (~0.15 s per 100k features) runs beside the first batch's reading.
        fingerprint = pool.submit(fingerprint_of, sync.source, merge_version=f"{MERGE_VERSION}/{settings.STORAGE_SRID}")
        if source_is_new(sync):
            # Nothing to compare with, so the short cut below cannot apply.
            loaded = load_first_or_fall_back(sync)
            sync.run.fingerprint = fingerprint.result()
            if loaded:
                return
        else:
            sync.run.fingerprint = fingerprint.result()
            if unchanged_since_last_run(sync):
                return
    with open_stream(sync.source, run_id=sync.run.pk) as stream:
        sync.run.total = stream.info.total
        features_salt = salt(sync.source, stream.info.srid)
        known = None
        if sync.full:  # every feature compared in SQL
            stage_all(sync, sync.checked(stream))
        else:
            # The locations' hashes, to stage only what changed. The source is read and each feature
            # hashed in a thread from the start (GDAL and Arrow release the GIL), while PostgreSQL
            # gathers the known hashes (0.1-0.3 s for 100,000 locations) and then while this thread
            # compares and stages. After a first import that fell back (nothing written), every
            # feature is new anyway.
            def read_and_hash(batch: Batch) -> Hashed:
                return hashed(batch, salt=features_salt)

            with prefetching(sync.checked(stream), read_and_hash, depth=READ_AHEAD) as batches:
                known = Known.of_source(sync)
                stage_changed(sync, batches, known=known)
        sync.run.total = stream.info.total  # services tell it with their first page
        merge(sync, stream.info.srid, known=known)


def run_summary_json(run: ImportRun) -> str:
    return json.dumps(run.summary(), ensure_ascii=False)
