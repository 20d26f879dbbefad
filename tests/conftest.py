"""Shared fixtures: personas and geometry factories in the storage SRID."""

from __future__ import annotations

import copy
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import connection
from django.utils import translation

from gis_service.accounts.models import Membership, User
from gis_service.owners.models import Owner


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in the site's default language, as each request and each worker task does.

    LocaleMiddleware activates a request's language in the thread and leaves it there; a test that
    made an English request would otherwise leave a service called directly by the next test speaking
    English.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def cache_of_its_own(settings: Any) -> None:
    """Each test gets its own key prefix in the real Redis cache.

    Rate-limit counters and cached answers then never leak between tests, nor between test
    runs sharing one Redis (two developers, or CI beside a developer).
    """
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


def rd_square(x: float, y: float, size: float) -> MultiPolygon:
    """A size × size m square with its lower-left corner at (x, y), in the storage SRID."""
    ring = ((x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y))
    return MultiPolygon(Polygon(ring), srid=settings.STORAGE_SRID)


@pytest.fixture
def owner_a(db: None) -> Owner:
    return Owner.objects.create(name="Gemeente Aadorp", slug="aadorp", kind=Owner.Kind.GEMEENTE)


@pytest.fixture
def owner_b(db: None) -> Owner:
    return Owner.objects.create(name="Woonstichting Bebouw", slug="bebouw", kind=Owner.Kind.WONINGCORPORATIE)


def _user(username: str, **extra: object) -> User:
    return User.objects.create_user(
        username=username, email=f"{username}@example.org", password="pw-" + username * 2, **extra
    )


@pytest.fixture
def regisseur_a(owner_a: Owner) -> User:
    user = _user("regisseur_a")
    Membership.objects.create(user=user, owner=owner_a, role=Membership.Role.REGISSEUR)
    return user


@pytest.fixture
def regisseur_b(owner_b: Owner) -> User:
    user = _user("regisseur_b")
    Membership.objects.create(user=user, owner=owner_b, role=Membership.Role.REGISSEUR)
    return user


@pytest.fixture
def gis_admin_a(owner_a: Owner) -> User:
    user = _user("gis_admin_a")
    Membership.objects.create(user=user, owner=owner_a, role=Membership.Role.GIS_ADMIN)
    return user


@pytest.fixture
def resident(db: None) -> User:
    return _user("resident_one", first_name="Riet", last_name="Eerste", phone="0612345678")


@pytest.fixture
def resident_two(db: None) -> User:
    return _user("resident_two", first_name="Ruud", last_name="Tweede", phone="0687654321")


@pytest.fixture
def outsider(db: None) -> User:
    return _user("outsider")


# --- real services for asynchronous behaviour ---------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SmtpServer:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it receives."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        # The addresses each message was delivered to (SMTP RCPT TO), beside `messages`: a Bcc
        # recipient is there and in no header.
        self.envelope_recipients: list[list[str]] = []
        self._refused_once: set[str] = set()
        self._lock = threading.Lock()

    def refuse_once(self, address: str) -> None:
        """The next RCPT TO of `address` gets a temporary refusal (450), as a busy mailbox gives."""
        with self._lock:
            self._refused_once.add(address)

    async def handle_RCPT(  # noqa: N802
        self, server: object, session: object, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        with self._lock:
            if address in self._refused_once:
                self._refused_once.discard(address)
                return "450 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[arg-type]
        with self._lock:
            self.messages.append(message)
            self.envelope_recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.envelope_recipients.clear()
            self._refused_once.clear()

    def wait_for(self, count: int, timeout: float = 20.0) -> list[EmailMessage]:
        """The messages once at least `count` have arrived; fails after `timeout` seconds."""
        return self.wait_for_matching(count, lambda _message: True, timeout=timeout)

    def wait_for_matching(
        self, count: int, match: Callable[[EmailMessage], bool], timeout: float = 20.0
    ) -> list[EmailMessage]:
        """The messages `match` accepts once at least `count` of them have arrived. A mail of an earlier
        step that the worker delivers late (after a clear()) is not mistaken for the one awaited."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                matching = [message for message in self.messages if match(message)]
            if len(matching) >= count:
                return matching
            time.sleep(0.05)
        raise AssertionError(f"expected {count} matching e-mails within {timeout} s, got {len(matching)}")


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    yield server
    controller.stop()


@pytest.fixture(autouse=True)
def _mailbox_of_this_test(request: pytest.FixtureRequest) -> None:
    """A test that reads mail starts with an empty mailbox: the SMTP server lives for the whole run, and
    an earlier test's mails would otherwise count as this one's. (Mails an earlier test left in the
    worker's queue can still arrive late: wait for the awaited ones by what they say, wait_for_matching.)"""
    if "smtp_server" in request.fixturenames:
        request.getfixturevalue("smtp_server").clear()


@pytest.fixture(scope="session")
def celery_worker(django_db_setup: None, smtp_server: SmtpServer) -> Iterator[str]:
    """A real Celery worker on Redis, working on the test database and sending mail to `smtp_server`.

    It listens on a queue of its own, so parallel test runs on one broker never take each
    other's tasks. Tests that use it need committed data: mark them `transactional_db`.
    """
    from gis_service.celery import app

    queue = f"test-{uuid.uuid4().hex[:10]}"
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgis://{db['USER']}{password}@{host}/{db['NAME']}",
        "CELERY_QUEUE": queue,
        "EMAIL_URL": smtp_server.url,
    }
    log = open(Path(tempfile.gettempdir()) / f"celery-{queue}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "gis_service", "worker", "-Q", queue, "-n", f"{queue}@%h",
         "--pool", "threads", "--concurrency", "4", "--loglevel", "INFO"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR,
    )  # fmt: skip
    app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[f"{queue}@{socket.gethostname()}"], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker did not start; see {log.name}")
        yield queue
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
