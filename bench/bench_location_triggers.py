"""What keeping the feed's counter, the cells and the kind cells costs a bulk write (issue 12):
one trigger pass per statement (ogc/sql/location_summary.sql, ogc 0007) against the three trigger
sets it replaced (ogc/sql/location_count.sql, location_cells.sql, location_kind_cells.sql) and
against none of them, in one run on one database.

Per round and variant, in one transaction that is rolled back: INSERT of `BENCH_TRIGGERS_ROWS`
(default 200,000) locations scattered over the country in one statement (so nearly every one has
50 and 200 m cells of its own, the triggers' worst case), one UPDATE of a tenth of them (moved
100 m and given another type: every cell table changes), one DELETE of another tenth. The three old
sets are put back, and ours dropped, inside the rolled-back transaction, from the files their
migrations load. Variants alternate within each round, so load falls on all of them, and the
tables are vacuumed after each rollback;
`BENCH_TRIGGERS_ROUNDS` rounds (default 3), medians. Besides wall-clock seconds, the CPU seconds of
the PostgreSQL backend that ran the statement (from /proc, so only with the server on this machine):
on a shared machine they depend far less on the load than the wall clock does.
"""

from __future__ import annotations

import math
import os
import statistics
import time
from pathlib import Path
from typing import Any

import psycopg

from bench.bench_tile_filters import INSERT
from bench.results import write_section
from bench.support import PG_SERVER, ROOT, drop_database, insert_owner, scratch_database

ROWS = int(os.environ.get("BENCH_TRIGGERS_ROWS", "200000"))
ROUNDS = int(os.environ.get("BENCH_TRIGGERS_ROUNDS", "3"))
UPDATE = "UPDATE locations_location SET geometry = ST_Translate(geometry, 100, 0), type = 'haag' WHERE id % 10 = 1"
DELETE = "DELETE FROM locations_location WHERE id % 10 = 2"
VACUUM = "VACUUM locations_location, ogc_location_cell, ogc_location_kind_cell, ogc_location_count"
STEPS = {"insert": INSERT, "update": UPDATE, "delete": DELETE}
EVENTS = ("insert", "delete", "update", "truncate")
OLD_FILES = ("location_count", "location_cells", "location_kind_cells")
VARIANTS = ("three sets (before)", "one pass (ogc 0007)", "no triggers of ogc")


def _backend_cpu(pid: int) -> float:
    """CPU seconds (user and system) the PostgreSQL backend `pid` has used; NaN if it is not local."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _prepare(conn: psycopg.Connection[Any], variant: str) -> None:
    """Inside the open transaction: the trigger set of `variant` in place of ogc 0007's."""
    if variant == VARIANTS[1]:
        return
    for event in EVENTS:
        conn.execute(f"DROP TRIGGER ogc_location_summary_{event} ON locations_location")
    if variant == VARIANTS[0]:
        for name in OLD_FILES:
            conn.execute((ROOT / "ogc" / "sql" / f"{name}.sql").read_text(encoding="utf-8"))


def measure() -> dict[str, dict[str, float]]:
    """Median seconds per variant and step ("insert"…), and CPU seconds of the backend ("insert cpu"…)."""
    name = "bench_location_triggers"
    url = scratch_database(PG_SERVER, name)
    keys = [*STEPS, *(f"{step} cpu" for step in STEPS)]
    taken: dict[str, dict[str, list[float]]] = {v: {key: [] for key in keys} for v in VARIANTS}
    try:
        with psycopg.connect(url) as conn:
            owner = insert_owner(conn)
            conn.commit()
            pid = conn.info.backend_pid
            for round_ in range(ROUNDS):
                # Rotate which variant goes first, so none always meets a cold cache or a warm one.
                for variant in VARIANTS[round_ % 3 :] + VARIANTS[: round_ % 3]:
                    _prepare(conn, variant)
                    for step, statement in STEPS.items():
                        cpu, start = _backend_cpu(pid), time.perf_counter()
                        conn.execute(statement, [owner, ROWS] if step == "insert" else None)
                        taken[variant][step].append(time.perf_counter() - start)
                        taken[variant][f"{step} cpu"].append(_backend_cpu(pid) - cpu)
                    conn.rollback()
                    # The rolled-back rows leave dead tuples and index entries that the next variant
                    # would pay for (the last variant of a round measured up to 27% more CPU): clear them.
                    conn.autocommit = True
                    conn.execute(VACUUM)
                    conn.autocommit = False
                    print(variant, {s: round(t[-1], 2) for s, t in taken[variant].items()}, flush=True)
    finally:
        drop_database(PG_SERVER, name)
    return {v: {key: statistics.median(times) for key, times in steps.items()} for v, steps in taken.items()}


def _ratio(after: dict[str, float], before: dict[str, float], step: str) -> str:
    cpu = f"{step} cpu"
    return f"{after[step] / before[step]:.2f} ({after[cpu] / before[cpu]:.2f})"


def main() -> int:
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    result = measure()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    rows = [
        f"| {variant} | " + " | ".join(f"{steps[step]:.2f} ({steps[f'{step} cpu']:.2f})" for step in STEPS) + " |"
        for variant, steps in result.items()
    ]
    before, after = result[VARIANTS[0]], result[VARIANTS[1]]
    body = f"""Command: `.venv/bin/python -m bench location_triggers` (part of `make bench`; `BENCH_TRIGGERS_ROWS`,
`BENCH_TRIGGERS_ROUNDS`); {started}, 2 cores, load average {load} (1/5/15 min) at the end.
A scratch database with no locations; per round and variant, in one rolled-back transaction: {ROWS:,}
locations in one INSERT (scattered over the country: nearly every one has 50 and 200 m cells of its
own), one UPDATE of a tenth of them (moved 100 m, another type), one DELETE of another tenth. Seconds,
medians of {ROUNDS} rounds, the variants in turn within each round; in brackets the CPU seconds of the
PostgreSQL backend that ran the statement (the steadier figure on a shared machine). "three sets" are the counter's, the
cells' and the kind cells' triggers as before ogc 0007; "no triggers of ogc" is the floor (the
location rules and every index, the search index too, stay in all three).

| triggers | INSERT | UPDATE of 10% | DELETE of 10% |
|---|---|---|---|
{chr(10).join(rows)}

One pass / three sets, wall clock (CPU): INSERT {_ratio(after, before, "insert")},
UPDATE {_ratio(after, before, "update")}, DELETE {_ratio(after, before, "delete")}."""
    print(body, flush=True)
    write_section("Keeping the counter and the cells: one trigger pass", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
