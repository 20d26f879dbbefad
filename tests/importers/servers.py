"""Real servers for the service readers: Debian's MapServer (mapserv, run per request behind a tiny
WSGI server, since Python's CGI support is gone) and a small OGC API Features server that
follows the spec for /collections/{id}/items with `next` links."""

from __future__ import annotations

import json
import os
import re
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
      "wfs_getfeature_formatlist" "geojson"{web_metadata}
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


HITS_NOT_SUPPORTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0">
  <ows:Exception exceptionCode="InvalidParameterValue" locator="resultType">
    <ows:ExceptionText>resultType=hits is not supported</ows:ExceptionText>
  </ows:Exception>
</ows:ExceptionReport>"""

# MapServer announces its wfs_maxfeatures as CountDefault (WFS 2.0) and DefaultMaxFeatures (1.1.0).
_CAP_CONSTRAINT = re.compile(
    rb"\s*<ows:Constraint name=\"(?:CountDefault|DefaultMaxFeatures)\">.*?</ows:Constraint>", re.S
)


@dataclass
class Fault:
    """What the server does for pages starting at or after `from_index`: '500', 'exception',
    'hang', 'truncate' (half the page, then the connection closes before its Content-Length),
    'cut' (half the page without a Content-Length, then the connection closes) or 'end' (an
    empty page, as if the data ended there)."""

    mode: str = ""
    from_index: int = 0


@dataclass
class RunningServer:
    url: str = ""
    requests: list[dict[str, str]] = field(default_factory=list)
    fault: Fault = field(default_factory=Fault)

    def faulty(self, start: int) -> tuple[str, list[tuple[str, str]], bytes] | None:
        if not self.fault.mode or start < self.fault.from_index or self.fault.mode in ("truncate", "cut", "end"):
            return None
        if self.fault.mode == "hang":
            time.sleep(30)
        if self.fault.mode == "exception":
            return "200 OK", [("Content-Type", "text/xml")], EXCEPTION_REPORT
        return "500 Internal Server Error", [("Content-Type", "text/plain")], b"internal error"

    def breaks_off(self, start: int) -> str:
        """'truncate' or 'cut' when the answer for a page from `start` is to break off half-way."""
        mode = self.fault.mode
        return mode if mode in ("truncate", "cut") and start >= self.fault.from_index else ""

    def ends_early(self, start: int) -> bool:
        return self.fault.mode == "end" and start >= self.fault.from_index


@dataclass
class MapServer(RunningServer):
    """The running MapServer and how it behaves; change the fields between runs.

    `max_features` is MapServer's own cap per GetFeature (WEB metadata `wfs_maxfeatures`; MapServer
    8.0 ignores it in LAYER metadata). MapServer then announces it as CountDefault and also answers
    resultType=hits with at most that many. `announce_cap=False` takes CountDefault out of the
    capabilities, as servers that do not announce their cap. `hits`: 'yes'; 'refuse' answers
    an exception report with HTTP 400, 'ignore' drops resultType and sends features, the two
    ways of servers without hits support. `pages=False` drops startIndex, as a WFS 1.1.0
    server without that (vendor) parameter: every page is the first.
    """

    data: Path = Path()
    max_features: int | None = None
    announce_cap: bool = True
    hits: str = "yes"
    pages: bool = True
    mapfile: Path = Path()

    def configure(self) -> None:
        cap = f'\n      "wfs_maxfeatures" "{self.max_features}"' if self.max_features else ""
        self.mapfile.write_text(MAPFILE.format(url=self.url, data=self.data, web_metadata=cap))


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
def mapserver(data: Path, workdir: Path, **behaviour: Any) -> Iterator[MapServer]:
    """MapServer 8 serving `data` (a shapefile in EPSG:28992) as WFS typename `groen`; `behaviour`
    sets the fields of MapServer (max_features, announce_cap, hits, pages)."""
    state = MapServer(data=data, mapfile=workdir / "groen.map", **behaviour)
    config = workdir / "mapserver.conf"
    # MapServer 8 refuses to start without a config file naming the map file.
    config.write_text(f'CONFIG\n  ENV\n    MS_MAPFILE "{state.mapfile}"\n  END\nEND\n')

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        query = environ.get("QUERY_STRING", "")
        params = {k.lower(): v for k, v in parse_qsl(query)}
        state.requests.append(params)
        hits = params.get("resulttype", "").lower() == "hits"
        start = int(params.get("startindex", "0"))
        fault = state.faulty(start) if not hits else None
        if hits and state.hits == "refuse":
            fault = "400 Bad Request", [("Content-Type", "text/xml")], HITS_NOT_SUPPORTED
        if fault:
            status, headers, body = fault
            start_response(status, headers)
            return [body]
        pairs = parse_qsl(query)
        if hits and state.hits == "ignore":
            pairs = [(k, v) for k, v in pairs if k.lower() != "resulttype"]
        if not state.pages:
            pairs = [(k, v) for k, v in pairs if k.lower() != "startindex"]
        if not hits and state.ends_early(start):
            pairs = [(k, "1000000000" if k.lower() == "startindex" else v) for k, v in pairs]
        env = {"PATH": os.environ.get("PATH", ""), "MAPSERVER_CONFIG_FILE": str(config),
               "REQUEST_METHOD": "GET", "QUERY_STRING": urlencode(pairs)}  # fmt: skip
        output = subprocess.run(["mapserv"], env=env, capture_output=True, timeout=60, check=False).stdout
        head, _, body = output.partition(b"\r\n\r\n") if b"\r\n\r\n" in output else output.partition(b"\n\n")
        status, headers = "200 OK", []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = value.strip()
            elif name:
                headers.append((name.strip(), value.strip()))
        if params.get("request", "").lower() == "getcapabilities" and not state.announce_cap:
            body = _CAP_CONSTRAINT.sub(b"", body)
        if not hits and (broken := state.breaks_off(start)):
            half = body[: len(body) // 2]
            if broken == "truncate":  # announces the whole length, sends half, closes
                start_response(status, [*headers, ("Content-Length", str(len(body)))])
                return [half]
            start_response(status, headers)  # close-delimited: the client cannot tell from HTTP
            return iter([half[:1], half[1:]])  # more than one chunk: wsgiref adds no Content-Length
        start_response(status, headers)
        return [body]

    with serve(app) as url:
        state.url = url + "/wfs"
        state.configure()
        yield state


@dataclass
class OgcApi(RunningServer):
    """`max_limit`: the largest page it sends, whatever `limit` asked (servers cap it; pygeoapi at
    its `limit` setting); the next link then starts after what the page held. `claims`: the
    numberMatched it tells, when it is not the truth."""

    max_limit: int | None = None
    claims: int | None = None


@contextmanager
def ogc_api(collection: dict[str, Any], features: list[dict[str, Any]], **behaviour: Any) -> Iterator[OgcApi]:
    """A minimal OGC API Features server: one collection, items paged by limit/offset with next links."""
    state = OgcApi(**behaviour)
    collection_id = collection["id"]

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        params = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        state.requests.append({"path": path, **params})
        if path == f"/collections/{collection_id}":
            body: dict[str, Any] = {**collection, "links": []}
        elif path == f"/collections/{collection_id}/items":
            limit, offset = int(params.get("limit", "10")), int(params.get("offset", "0"))
            limit = min(limit, state.max_limit or limit)
            fault = state.faulty(offset)
            if fault:
                status, headers, raw = fault
                start_response(status, headers)
                return [raw]
            page = features[offset : offset + limit]
            links = [{"rel": "self", "href": f"{state.url}{path}?{urlencode(params)}"}]
            if offset + len(page) < len(features):
                following = {**params, "offset": str(offset + len(page))}
                links.append({"rel": "next", "type": "application/geo+json",
                              "href": f"{state.url}{path}?{urlencode(following)}"})  # fmt: skip
            matched = len(features) if state.claims is None else state.claims
            body = {"type": "FeatureCollection", "features": page, "numberMatched": matched,
                    "numberReturned": len(page), "links": links}  # fmt: skip
        else:
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"code": "NotFound"}']
        start_response("200 OK", [("Content-Type", "application/geo+json")])
        return [json.dumps(body).encode()]

    with serve(app) as url:
        state.url = url
        yield state
