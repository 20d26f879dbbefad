"""Web service sources are read from public servers only: a GIS admin must not make the worker
fetch internal addresses (the platform's own /healthz, the metadata service, the office network)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from wsgiref.simple_server import make_server

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from gis_service.accounts.models import Membership, User
from gis_service.owners.models import Owner
from importers.models import ImportRun, Source

from .conftest import squares, sync
from .servers import _QuietHandler, _ThreadingWSGIServer, ogc_api

FEATURES = [
    {"type": "Feature", "id": f"g{i}", "properties": {},
     "geometry": {"type": "Polygon", "coordinates": [list(map(list, p.exterior.coords))]}}
    for i, p in enumerate(squares(3))
]  # fmt: skip
COLLECTION = {"id": "groen", "crs": ["http://www.opengis.net/def/crs/EPSG/0/28992"]}


@contextmanager
def server_on(host: str, app: Any) -> Iterator[str]:
    """A WSGI app served on `host` (any 127.x address is loopback on Linux); its base URL."""
    server = make_server(host, 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_loopback_source_is_refused_without_a_request(owner_a: Owner, settings: Settings) -> None:
    settings.IMPORT_ALLOWED_HOSTS = []
    with ogc_api(COLLECTION, FEATURES) as server:
        run = sync(owner_a, f"{server.url}/collections/groen", kind="oapif")
    assert run.status == ImportRun.Status.FAILED
    assert "geweigerd: 127.0.0.1 is een intern adres" in run.message, run.message
    assert "IMPORT_ALLOWED_HOSTS" in run.message
    assert server.requests == []


def test_the_same_server_is_read_when_allowed(owner_a: Owner, settings: Settings) -> None:
    settings.IMPORT_ALLOWED_HOSTS = ["127.0.0.0/8"]
    with ogc_api(COLLECTION, FEATURES) as server:
        run = sync(owner_a, f"{server.url}/collections/groen", kind="oapif")
    assert (run.status, run.created) == (ImportRun.Status.SUCCEEDED, 3), run.message


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://localhost:9/wfs", "localhost (127.0.0.1)"),
        ("http://10.20.30.40/wfs", "10.20.30.40"),
        ("http://192.168.1.1/wfs", "192.168.1.1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::1]:9/wfs", "::1"),
        ("http://[::ffff:127.0.0.1]:9/wfs", "::ffff:127.0.0.1 (::ffff:7f00:1)"),  # IPv4 loopback in IPv6
        ("http://0.0.0.0:9/wfs", "0.0.0.0"),  # noqa: S104  # the address that is refused, no binding
        ("http://224.0.0.1/wfs", "224.0.0.1"),
    ],
)
def test_internal_addresses_are_refused(owner_a: Owner, settings: Settings, url: str, shown: str) -> None:
    settings.IMPORT_ALLOWED_HOSTS = []
    settings.IMPORT_HTTP_TIMEOUT = 2  # a refusal is immediate; a connection attempt would take this long
    run = sync(owner_a, url, kind="wfs", layer="groen")
    assert run.status == ImportRun.Status.FAILED
    assert f"geweigerd: {shown} is een intern adres" in run.message, run.message


def test_a_redirect_from_an_allowed_host_to_loopback_is_refused(owner_a: Owner, settings: Settings) -> None:
    settings.IMPORT_ALLOWED_HOSTS = ["127.0.0.2"]
    with ogc_api(COLLECTION, FEATURES) as inner:

        def redirect(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            query = environ.get("QUERY_STRING", "")
            start_response("302 Found", [("Location", f"{inner.url}{environ['PATH_INFO']}?{query}")])
            return [b""]

        with server_on("127.0.0.2", redirect) as allowed:
            run = sync(owner_a, f"{allowed}/collections/groen", kind="oapif")
    assert run.status == ImportRun.Status.FAILED
    assert "geweigerd: 127.0.0.1 is een intern adres" in run.message, run.message
    assert inner.requests == []


def test_an_error_page_is_not_quoted(owner_a: Owner) -> None:
    def failing(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        start_response("500 Internal Server Error", [("Content-Type", "text/html")])
        return [b"<html>DATABASE_PASSWORD=hunter2 at /srv/app/settings.py</html>"]

    with server_on("127.0.0.1", failing) as url:
        run = sync(owner_a, f"{url}/collections/groen", kind="oapif")
    assert run.status == ImportRun.Status.FAILED
    assert "de server antwoordde met HTTP 500" in run.message, run.message
    assert "hunter2" not in run.message and "html" not in run.message


@pytest.fixture
def gis_client(owner_a: Owner) -> Client:
    """A staff user who is GIS admin of owner A only."""
    user = User.objects.create_user(username="gis", password="pw-gis-gis", is_staff=True)
    Membership.objects.create(user=user, owner=owner_a, role=Membership.Role.GIS_ADMIN)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="importers"))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("kind", ["wfs", "oapif"])
def test_the_admin_refuses_an_internal_url_when_the_source_is_saved(
    gis_client: Client, owner_a: Owner, settings: Settings, kind: str
) -> None:
    settings.IMPORT_ALLOWED_HOSTS = []
    response = gis_client.post(
        reverse("admin:importers_source_add"),
        {"owner": owner_a.pk, "name": "intern", "kind": kind, "location": "http://127.0.0.1:8000/healthz",
         "keep_fields": "[]"},
    )  # fmt: skip
    assert response.status_code == 200  # the form again, with the error
    assert "geweigerd: 127.0.0.1 is een intern adres" in response.content.decode()
    assert not Source.objects.filter(name="intern").exists()
