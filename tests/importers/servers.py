"""Real servers for the service readers: Debian's MapServer (mapserv, run per request behind a tiny
WSGI server, since Python's CGI support is gone) and a small OGC API Features server that
follows the spec for /collections/{id}/items with `next` links."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qsl, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

MAPFILE = """MAP
  NAME "groen"
  EXTENT 0 300000 300000 700000
  PROJECTION "init=epsg:28992" END
  OUTPUTFORMAT
    NAME "geojson"
    DRIVER "OGR/GEOJSON"
    MIMETYPE "application/json; subtype=geojson"
    FORMATOPTION "FORM=SIMPLE"
    FORMATOPTION "STORAGE=memory"
  END
  WEB
    METADATA
      "wfs_title" "groen"
      "wfs_onlineresource" "{url}?"
      "wfs_srs" "EPSG:28992"
      "wfs_enable_request" "*"
      "wfs_getfeature_formatlist" "geojson"
    END
  END
  LAYER
    NAME "groen"
    TYPE POLYGON
    STATUS ON
    DATA "{data}"
    PROJECTION "init=epsg:28992" END
    METADATA
      "wfs_title" "groen"
      "gml_include_items" "all"
      "gml_featureid" "guid"
      "gml_types" "auto"
    END
  END
END
"""

EXCEPTION_REPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0">
  <ows:Exception exceptionCode="NoApplicableCode"><ows:ExceptionText>database connection lost</ows:ExceptionText>
  </ows:Exception>
</ows:ExceptionReport>"""


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


@dataclass
class Fault:
    """What the server does for pages starting at or after `from_index`: '500', 'exception' or 'hang'."""

    mode: str = ""
    from_index: int = 0


@dataclass
class RunningServer:
    url: str = ""
    requests: list[dict[str, str]] = field(default_factory=list)
    fault: Fault = field(default_factory=Fault)

    def faulty(self, start: int) -> tuple[str, list[tuple[str, str]], bytes] | None:
        if not self.fault.mode or start < self.fault.from_index:
            return None
        if self.fault.mode == "hang":
            time.sleep(30)
        if self.fault.mode == "exception":
            return "200 OK", [("Content-Type", "text/xml")], EXCEPTION_REPORT
        return "500 Internal Server Error", [("Content-Type", "text/plain")], b"internal error"


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serves a WSGI app on 127.0.0.1 in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def mapserver(data: Path, workdir: Path) -> Iterator[RunningServer]:
    """MapServer 8 serving `data` (a shapefile in EPSG:28992) as WFS typename `groen`."""
    state = RunningServer()
    mapfile = workdir / "groen.map"
    config = workdir / "mapserver.conf"
    # MapServer 8 refuses to start without a config file naming the map file.
    config.write_text(f'CONFIG\n  ENV\n    MS_MAPFILE "{mapfile}"\n  END\nEND\n')

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        query = environ.get("QUERY_STRING", "")
        params = {k.lower(): v for k, v in parse_qsl(query)}
        state.requests.append(params)
        fault = state.faulty(int(params.get("startindex", "0"))) if params.get("resulttype") != "hits" else None
        if fault:
            status, headers, body = fault
            start_response(status, headers)
            return [body]
        env = {"PATH": os.environ.get("PATH", ""), "MAPSERVER_CONFIG_FILE": str(config),
               "REQUEST_METHOD": "GET", "QUERY_STRING": query}  # fmt: skip
        output = subprocess.run(["mapserv"], env=env, capture_output=True, timeout=60, check=False).stdout
        head, _, body = output.partition(b"\r\n\r\n") if b"\r\n\r\n" in output else output.partition(b"\n\n")
        status, headers = "200 OK", []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = value.strip()
            elif name:
                headers.append((name.strip(), value.strip()))
        start_response(status, headers)
        return [body]

    with serve(app) as url:
        state.url = url + "/wfs"
        mapfile.write_text(MAPFILE.format(url=state.url, data=data))
        yield state


@contextmanager
def ogc_api(collection: dict[str, Any], features: list[dict[str, Any]]) -> Iterator[RunningServer]:
    """A minimal OGC API Features server: one collection, items paged by limit/offset with next links."""
    state = RunningServer()
    collection_id = collection["id"]

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        params = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        state.requests.append({"path": path, **params})
        if path == f"/collections/{collection_id}":
            body: dict[str, Any] = {**collection, "links": []}
        elif path == f"/collections/{collection_id}/items":
            limit, offset = int(params.get("limit", "10")), int(params.get("offset", "0"))
            fault = state.faulty(offset)
            if fault:
                status, headers, raw = fault
                start_response(status, headers)
                return [raw]
            page = features[offset : offset + limit]
            links = [{"rel": "self", "href": f"{state.url}{path}?{urlencode(params)}"}]
            if offset + limit < len(features):
                following = {**params, "offset": str(offset + limit)}
                links.append({"rel": "next", "type": "application/geo+json",
                              "href": f"{state.url}{path}?{urlencode(following)}"})  # fmt: skip
            body = {"type": "FeatureCollection", "features": page, "numberMatched": len(features),
                    "numberReturned": len(page), "links": links}  # fmt: skip
        else:
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"code": "NotFound"}']
        start_response("200 OK", [("Content-Type", "application/geo+json")])
        return [json.dumps(body).encode()]

    with serve(app) as url:
        state.url = url
        yield state
