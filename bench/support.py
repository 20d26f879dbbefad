"""Shared by the benchmarks to set up a run: a scratch database, the owner of the generated data,
a free port, and a server that runs for a `with` block."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
# The PostgreSQL server (a URL without a database) on which bench_ogc and bench_overlap make their
# scratch databases.
PG_SERVER = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")


def django_database_url(url: str) -> str:
    """`url` as psycopg takes it (postgresql://) written as DATABASE_URL for GeoDjango (postgis://)."""
    return url.replace("postgresql://", "postgis://", 1)


def scratch_database(server: str, name: str) -> str:
    """A new, migrated database `name` on the PostgreSQL at `server` (dropped first if present); its URL."""
    drop_database(server, name)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = f"{server}/{name}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    env = {**os.environ, "DATABASE_URL": django_database_url(url)}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return url


def drop_database(server: str, name: str) -> None:
    """Drops the database `name` on the PostgreSQL at `server`, if present, whoever is still connected."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def server_env(url: str, **extra: str) -> dict[str, str]:
    """The environment of a production-like server (gunicorn) on the benchmark database `url`."""
    return {
        **os.environ,
        "DATABASE_URL": django_database_url(url),
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def insert_owner(conn: psycopg.Connection[Any]) -> int:
    """Inserts the owner of all generated locations, Gemeente X (slug `x`); its id."""
    row = conn.execute(
        "INSERT INTO owners_owner (name, slug, kind, contact_email, created_at, updated_at)"
        " VALUES ('Gemeente X', 'x', 'gemeente', '', now(), now()) RETURNING id"
    ).fetchone()
    assert row is not None  # INSERT … RETURNING gives the one row it inserted
    return int(row[0])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now, for a server of the benchmark's own."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def gunicorn_command(app: str, port: int, workers: int) -> list[str]:
    """gunicorn serving the WSGI `app` on 127.0.0.1:`port`, from the Python that runs the benchmark."""
    return [sys.executable, "-m", "gunicorn", app, "-b", f"127.0.0.1:{port}", "-w", str(workers)]


@contextmanager
def running_server(
    command: list[str], env: dict[str, str], port: int, probe: str, name: str, *, wait: float = 60
) -> Iterator[str]:
    """Starts `command` (a server on 127.0.0.1:`port`), yields its base URL once `probe` answers, stops it after.

    Its output goes to a log file in the temporary folder, named after the benchmark (`name`) and
    the port, so that a server which does not start can be looked into afterwards.
    """
    log = open(Path(tempfile.gettempdir()) / f"bench-{name}-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                urllib.request.urlopen(base + probe, timeout=5).read()  # noqa: S310 - our own local server
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start, see {log.name}") from None
                time.sleep(0.3)
        yield base
    finally:
        # Stopped even when it did not start in time: a half-started server must not outlive the run.
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # workers busy on a loaded machine: the figures are taken already
            process.kill()
            process.wait()
        log.close()
