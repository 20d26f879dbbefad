"""A re-sync: stage the features, compare them with the locations in SQL, apply the difference;
or skip all of it when the source is as the last run left it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, NamedTuple

import numpy as np
from django.db import connection
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gis_service.locations.models import Location
from gis_service.locations.services import locations_ground_changed
from importers import bulk, copy_binary, idset, sql
from importers.idset import IdSet, as_keys
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
        cursor.execute(sql.SOURCE_PAGES_ONLY)
        cursor.execute(sql.COUNT_CURRENT, {"source": sync.source.pk})
        (current,) = cursor.fetchone()
        cursor.execute(sql.ANY_SCAN)
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


class Hashed(NamedTuple):
    """A batch with the digest of each of its features (bulk.feature_digests)."""

    batch: Batch
    digests: Any  # S16, one per row of batch.table


def hashed(batch: Batch, *, salt: str) -> Hashed:
    """The batch with its features' digests: done in the reading thread (importers.prefetch), so
    hashing (0.3 s per 100,000 features) runs beside the known hashes' arrival and the staging."""
    return Hashed(batch, bulk.feature_digests(batch.table, salt=salt))


class Known:
    """The hash of every current location of the source by external id, read once per run: a
    feature whose id and hash match one is unchanged and never reaches PostgreSQL again.

    Before, every feature was staged with its geometry and hashed and compared in SQL: a 2% change
    cost as much as comparing everything (1%/1% changed/removed of 100k: 2.6 s in the process, 2.1×
    a full ogr2ogr reload). The pairs are kept as sorted numpy byte strings (importers/idset.py):
    the id's bytes and a 16-byte digest per location (~55 bytes for a UUID id; a dict of Python
    strings took ~320 bytes, and made (d)'s peak memory 2.14× from 100,000 to 1,000,000 features).
    """

    def __init__(self, ids: Any, digests: Any, packing: idset.Packing | None = None) -> None:
        self.ids = ids  # sorted byte strings, packed by `packing` when the ids have one shape (UUIDs, BGT's)
        self.packing = packing
        self.digests = digests  # md5 digests (S16), in the order of `ids`
        self.seen = np.zeros(len(ids), dtype=bool)  # a feature with this id was read
        self.new_ids = IdSet()  # ids of features without a current location, for duplicates
        self.unchanged = 0

    @property
    def count(self) -> int:
        return len(self.ids)

    @classmethod
    def of_hashes(cls, hashes: dict[str, str]) -> Known:
        """From external id -> hash in hex (as Location.source_hash holds it)."""
        ids = as_keys(list(hashes))
        order = np.argsort(ids, kind="stable")
        digests = np.array([bytes.fromhex(h) for h in hashes.values()], dtype="S16")
        packing = idset.packing_of(ids)
        if packing is not None:
            ids = idset.packed(packing, ids)[0]
        return cls(ids[order], digests[order] if len(ids) else np.zeros(0, dtype="S16"), packing)

    @classmethod
    def of_source(cls, sync: Sync) -> Known:
        """Streamed into arrays sized by the last run: a list of a million row tuples alone took
        ~230 MB, and counting the rows first scanned the table once more (~1 s for 500,000 rows)."""
        last = (
            ImportRun.objects.filter(source=sync.source, status=ImportRun.Status.SUCCEEDED)
            .exclude(current_after=None)
            .order_by("-started_at", "-id")
            .values_list("current_after", flat=True)
            .first()
        )
        ids = np.zeros(last or 0, dtype="S1")
        digests = np.zeros(last or 0, dtype="S16")
        filled = 0
        packing: idset.Packing | None = None
        with connection.cursor() as cursor:
            cursor.execute(sql.PLAN_FOR_KNOWN)
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql.KNOWN_HASHES, {"source": sync.source.pk})  # declares the cursor: planned now
            with connection.cursor() as settings_cursor:
                settings_cursor.execute(sql.ANY_SCAN)
            while rows := cursor.fetchmany(KNOWN_CHUNK):
                chunk = as_keys([row[0] for row in rows])
                if filled == 0 and (packing := idset.packing_of(chunk)) is not None:
                    ids = np.zeros(len(ids), dtype=f"S{packing.width}")
                if packing is not None:
                    packed, fits = idset.packed(packing, chunk)
                    if bool(fits.all()):
                        chunk = packed
                    else:  # an id of another shape: the ones so far back to their bytes, and no packing
                        ids = np.concatenate(
                            [idset.unpacked(packing, ids[:filled]), ids[filled:].astype(f"S{packing.length}")]
                        )
                        packing = None
                if chunk.itemsize > ids.itemsize:
                    ids = ids.astype(chunk.dtype)
                if filled + len(rows) > len(ids):  # more locations than the last run left
                    grown = max(2 * len(ids), filled + len(rows))
                    ids = np.concatenate([ids, np.zeros(grown - len(ids), dtype=ids.dtype)])
                    digests = np.concatenate([digests, np.zeros(grown - len(digests), dtype=digests.dtype)])
                ids[filled : filled + len(rows)] = chunk
                digests[filled : filled + len(rows)] = idset.digests_of_hex([row[1] for row in rows])
                filled += len(rows)
        ids, digests = ids[:filled], digests[:filled]
        if len(ids) > 1 and not bool(np.all(ids[:-1] < ids[1:])):  # PostgreSQL's "C" order is byte order
            order = np.argsort(ids, kind="stable")
            ids, digests = ids[order], digests[order]
        return cls(ids, digests, packing)

    def changed(self, hashed: Hashed) -> tuple[Any, list[bulk.Issue]]:
        """The batch's features that need the SQL merge (new, changed, reappearing ones), with the
        issues of those rejected for their id (missing, too long, seen before in this run)."""
        table = hashed.batch.table
        numbers = table.column("n").to_numpy()
        ext_ids = table.column("ext_id").to_pylist()
        issues: list[bulk.Issue] = []
        stage, codes, keys, candidates = bulk.id_codes(ext_ids)
        at, found = idset.stored_positions(self.ids, self.packing, keys)
        first = idset.first_occurrences(keys)
        # A second feature with an id: of a current location (seen before) or of a new one.
        seen_before, stored = (self.seen[at], self.digests[at]) if self.count else (found, found)  # found: all False
        repeated = ~first | (found & seen_before)
        new = ~found & ~repeated
        repeated |= new & self.new_ids.contains(keys)
        new &= ~repeated
        self.new_ids.add(keys[new])
        known = found & ~repeated
        self.seen[at[known]] = True
        digests = hashed.digests[candidates]
        same = known & (stored == digests) if self.count else known
        self.unchanged += int(same.sum())
        stage[candidates[new | (known & ~same)]] = True
        codes[candidates[repeated]] = "duplicate_id"
        bulk.id_issues(numbers, ext_ids, codes, ~stage, issues)
        return (table.filter(stage) if stage.any() else None), issues

    def gone(self) -> list[str]:
        """External ids of current locations that no feature of the source named."""
        return [key.decode() for key in idset.stored_bytes(self.ids[~self.seen], self.packing)]


# Rows of KNOWN_HASHES per fetch. Each chunk is a list of row tuples of two Python strings and their
# conversions (~0.5 KB a row) beside the arrays: 50,000 rows made (d)'s peak 280 MB at 100,000
# features and 342 MB at 1,000,000, 10,000 rows 252 and 318 MB; the extra round trips cost nothing
# measurable.
KNOWN_CHUNK = 10_000


class Staged(NamedTuple):
    """What one batch adds to the staging table: its rows to stage (None for none), the features
    it read, and the issues of those rejected before staging."""

    rows: Any  # an Arrow table of a batch's columns, or None
    read: int
    issues: list[bulk.Issue]


def stage_all(sync: Sync, batches: Iterator[Batch]) -> None:
    """Copies every feature into the staging table; SQL finds those without an id, with one too
    long or with one seen before."""
    _stage(sync, (Staged(batch.table, len(batch), []) for batch in batches), rejected_in_sql=True)


def stage_changed(sync: Sync, batches: Iterator[Hashed], *, known: Known) -> None:
    """Copies only the features that are not unchanged, decided by hash (the caller reads and hashes
    them in a thread, importers.prefetch); Known finds the rejected ones."""

    def staged() -> Iterator[Staged]:
        for hashed_batch in batches:
            changed, rejected = known.changed(hashed_batch)
            yield Staged(changed, len(hashed_batch.batch), rejected)

    _stage(sync, staged(), rejected_in_sql=False)


def _stage(sync: Sync, batches: Iterator[Staged], *, rejected_in_sql: bool) -> None:
    issues: list[bulk.Issue] = []
    with connection.cursor() as cursor:
        cursor.execute(sql.DROP_TEMP)
        cursor.execute(sql.CREATE_STAGE)
        with cursor.cursor.copy(sql.COPY_STAGE) as copy:
            copy.write(copy_binary.HEADER)
            for staged in batches:
                if staged.rows is not None:
                    copy.write(sql.stage_rows(staged.rows))
                issues.extend(staged.issues)
                sync.run.read += staged.read
                if sync.progress:
                    sync.progress(sync.run)
            copy.write(copy_binary.TRAILER)
        if rejected_in_sql:
            cursor.execute(sql.REJECT_WITHOUT_ID)
            cursor.execute(sql.REJECT_LONG_ID)
            sync.long_id_lengths = {length for (length,) in cursor.fetchall()}
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
            raise ImportFailed(
                _("%(where)s: de bron heeft geen objecten (controleer de laag en het filter)") % {"where": sync.where()}
            )
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
            raise ImportFailed(
                _("%(where)s: elk object is geweigerd (%(reasons)s); er is niets geïmporteerd")
                % {"where": sync.where(), "reasons": reasons}
            )
        cursor.execute(sql.CHANGED_GROUND)
        changed_ground = [row[0] for row in cursor.fetchall()]
        if known is None:
            cursor.execute(sql.GONE, values)
        else:
            cursor.execute(sql.LOCATIONS_OF_IDS, {**values, "ext_ids": known.gone()})
        gone = [row[0] for row in cursor.fetchall()]
        sync.record_issues(cursor, values)
        cursor.execute(sql.UPDATE_CHANGED_AND_WITHDRAW, {**values, "gone": gone})
        cursor.execute(sql.INSERT_NEW, values)
        sync.run.created_first_id, sync.run.created_last_id = cursor.fetchone()
        if known is None:
            cursor.execute(sql.COUNT_CURRENT, values)
            (current_after,) = cursor.fetchone()
        else:
            # Counting them again scans the table (0.18 s for 100,000 of 200,000 rows); under the
            # source's lock nothing else adds or withdraws its locations.
            current_after = known.count - len(gone) + created + reappeared
        cursor.execute(sql.DROP_TEMP)
    run = sync.run
    run.created, run.updated, run.unchanged = created, updated, unchanged
    rejected = staged_rejected + work_rejected + sync.prefiltered_rejected
    run.withdrawn, run.repaired, run.rejected = len(gone), repaired, rejected
    run.current_after = current_after
    protected = locations_ground_changed(
        owner_id=source.owner_id,
        moved=changed_ground,
        gone=gone,
        # Lazy: the regisseurs' mail is written in each one's language, not the run's.
        cause=lazy(lambda: _("het synchroniseren van de bron '%(name)s'") % {"name": source.name}, str)(),
    )
    if protected:
        # The GIS admin who reads the run would otherwise see only "withdrawn: 1", not that the ground
        # of a contract is kept and that the regisseurs were told.
        run.message = ngettext(
            "De grond is veranderd onder %(count)d locatie met een contract of open initiatief (id %(ids)s): "
            "die houdt de grond waarvoor getekend is, en de regisseurs van de eigenaar zijn gemaild.",
            "De grond is veranderd onder %(count)d locaties met een contract of open initiatief (id %(ids)s): "
            "die houden de grond waarvoor getekend is, en de regisseurs van de eigenaar zijn gemaild.",
            len(protected),
        ) % {"count": len(protected), "ids": ", ".join(map(str, protected))}
        run.message += "".join(f"\n- {line}" for line in _protected_lines(protected, gone=set(gone)))


PROTECTED_LISTED = 20  # locations named one by one in the run's message; the regisseurs' mail names all


def _protected_lines(protected: list[int], *, gone: set[int]) -> list[str]:
    """Each protected location as the GIS admin knows it (name, id, external id) and what happened to
    its ground: "id 407" alone told them nothing."""
    lines = []
    for location in Location.objects.filter(pk__in=protected[:PROTECTED_LISTED]).order_by("pk"):
        what = _("staat niet meer in de bron") if location.pk in gone else _("heeft een andere geometrie gekregen")
        lines.append(
            _("%(name)s (id %(id)d, extern id %(external_id)s): %(what)s")
            % {"name": location, "id": location.pk, "external_id": location.external_id, "what": what}
        )
    if len(protected) > PROTECTED_LISTED:
        lines.append(_("en nog %(count)d") % {"count": len(protected) - PROTECTED_LISTED})
    return lines
