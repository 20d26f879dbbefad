"""Two gunicorn servers at once (`make run` on two PORTs, a benchmark beside a running site) each
keep a control socket of their own, through which gunicornc reaches that server and no other."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from gunicorn.ctl.client import ControlClient

from tests.conftest import free_port

ROOT = Path(settings.BASE_DIR)


def _control_socket(process: subprocess.Popen[bytes]) -> Path:
    """The server's own socket, once its master has opened it (after its first worker started)."""
    path = ROOT / "var" / "run" / f"gunicorn-{process.pid}.ctl"
    deadline = time.monotonic() + 120
    while not path.exists():
        assert process.poll() is None, f"gunicorn ended with {process.returncode}"
        assert time.monotonic() < deadline, f"no control socket at {path}"
        time.sleep(0.2)
    return path


def test_two_servers_each_have_their_own_control_socket(tmp_path: Path) -> None:
    # gunicorn's own default would be the same file in this home for both.
    env = {key: value for key, value in os.environ.items() if key != "XDG_RUNTIME_DIR"}
    env["HOME"] = str(tmp_path)
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "gis_service.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for port in ports
    ]
    try:
        sockets = [_control_socket(server) for server in servers]
        for path, port in zip(sockets, ports, strict=True):
            with ControlClient(str(path)) as client:
                listeners = str(client.send_command("show listeners"))
            assert f"127.0.0.1:{port}" in listeners and f"127.0.0.1:{sum(ports) - port}" not in listeners
        assert not (tmp_path / ".gunicorn").exists()
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=60)
    assert not any(path.exists() for path in sockets), "a stopped server leaves its socket behind"
