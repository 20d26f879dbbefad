"""Re-sync right after a first import, this code against a reference (BENCH_REFERENCE, default
`main`) in the same run.

Issue 12: a re-sync right after a 200,000-feature first import chose a nested loop for its
"gone" query (importers/sql.py GONE) and ran over 10 minutes, because the planner's statistics
of locations_location predated the source. Here, for each code tree in a scratch database of its
own: another source of N features is imported and the table analyzed (as autovacuum leaves it),
then a new source of N features is imported and at once re-synced with 1% changed and 1% removed.
Each step is timed as a whole process. Then the cost of the ANALYZE itself on that table.
Writes the `## Re-sync after a first import` section of docs/benchmarks.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql as pgsql

from bench.bench_import import generate
from bench.results import write_section
from bench.support import ROOT, django_database_url, drop_database, insert_owner

PY = sys.executable
N = int(os.environ.get("BENCH_RESYNC_N", "100000"))
REFERENCE = os.environ.get("BENCH_REFERENCE", "main")
# The repository the reference is taken from (this tree's, unless the benchmark runs from a copy).
REPO = Path(os.environ.get("BENCH_REPO", str(ROOT)))
# The reference's re-sync is stopped here; the table then shows "> limit".
LIMIT = int(os.environ.get("BENCH_RESYNC_LIMIT", "900"))


def _tree_of(revision: str, folder: Path) -> Path:
    """The files of `revision` of this repository, unpacked into `folder` (no worktree is touched)."""
    archive = folder / "reference.tar"
    subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), revision], cwd=REPO, check=True)
    tree = folder / "reference"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


def _env(url: str) -> dict[str, str]:
    # The reference tree has no .env of its own.
    return {**os.environ, "DATABASE_URL": django_database_url(url), "LOG_LEVEL": "WARNING",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 40)}  # fmt: skip


def _database(server: str, name: str, tree: Path) -> str:
    """A new database `name`, migrated by the code in `tree`; its URL."""
    drop_database(server, name)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(name)))
    url = f"{server}/{name}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    subprocess.run([PY, "manage.py", "migrate", "--noinput"], cwd=tree, env=_env(url), check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    with psycopg.connect(url, autocommit=True) as conn:
        insert_owner(conn)
    return url


def _timed(tree: Path, url: str, path: Path, source: str) -> float | None:
    """Seconds of one import_locations process of the code in `tree`; None when stopped at LIMIT."""
    env = _env(url)
    command = [PY, "manage.py", "import_locations", str(path), "--owner", "x", "--source", source,
               "--id-field", "guid", "--type-field", "objecttype", "--json"]  # fmt: skip
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=tree, env=env, capture_output=True, timeout=LIMIT, check=False)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        raise RuntimeError(f"{tree.name}: import_locations {source} failed: {done.stderr.decode()[-500:]}")
    return time.perf_counter() - start


def _scenario(tree: Path, url: str, base: Path, v2: Path) -> tuple[float | None, float | None]:
    """First import and immediate re-sync of a new source, in a table analyzed before it existed."""
    _timed(tree, url, base, "other")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE locations_location")
    first = _timed(tree, url, base, "groen")
    resync = _timed(tree, url, v2, "groen")
    return first, resync


def _analyze_seconds(url: str, statement: str, rounds: int = 3) -> float:
    with psycopg.connect(url, autocommit=True) as conn:
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            conn.execute(statement)
            times.append(time.perf_counter() - start)
    return sorted(times)[rounds // 2]


def _s(value: float | None) -> str:
    return f"> {LIMIT}" if value is None else f"{value:.2f}"


def main() -> int:
    from importers.sql import ANALYZE_LOCATIONS

    parts = urlsplit(os.environ.get("DATABASE_URL", "postgis://postgres@127.0.0.1:5432/zelfbeheer"))
    server = urlunsplit(("postgresql", parts.netloc, "", "", ""))
    revision = subprocess.run(["git", "rev-parse", "--short", REFERENCE], cwd=REPO, check=True,
                              capture_output=True, text=True).stdout.strip()  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = generate(folder, n=N, variant="base")
        v2 = generate(folder, n=N, variant="v2")
        reference = _tree_of(REFERENCE, folder)
        ref_url = _database(server, "zb_bench_resync_ref", reference)
        ref_first, ref_resync = _scenario(reference, ref_url, base, v2)
        drop_database(server, "zb_bench_resync_ref")
        url = _database(server, "zb_bench_resync", ROOT)
        first, resync = _scenario(ROOT, url, base, v2)
        columns = _analyze_seconds(url, ANALYZE_LOCATIONS)
        whole = _analyze_seconds(url, "ANALYZE locations_location")
        drop_database(server, "zb_bench_resync")
    body = f"""
Command: `.venv/bin/python -m bench resync`; {N:,} generated polygons per source (the import benchmark's
shapefiles), on {os.cpu_count()} cores, {time.strftime("%Y-%m-%d")}, load average {os.getloadavg()[0]:.1f} at
the end. Per code tree, in a scratch database of its own: another source of {N:,} features imported and the
table analyzed (as autovacuum leaves it), then a new source imported and at once re-synced with 1% changed and
1% removed. Whole processes; the reference is `{REFERENCE}` ({revision}), stopped after {LIMIT} s.

| step | reference | this code |
|---|---|---|
| first import of the new source (this code: with its ANALYZE) | {_s(ref_first)} | {_s(first)} |
| re-sync at once, 1% changed and 1% removed | {_s(ref_resync)} | {_s(resync)} |

ANALYZE of the table ({2 * N:,} locations), median of three: the importer's columns
(`{ANALYZE_LOCATIONS}`) {columns:.2f} s; the whole table, geometry histogram included, {whole:.2f} s.
"""
    write_section("Re-sync after a first import", body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
