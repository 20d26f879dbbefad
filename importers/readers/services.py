"""Reading web services: WFS 2.0.0 / 1.1.0 GetFeature in pages, and OGC API Features following
`next` links. Every page is fetched by us (not by GDAL), so a server error, an exception report
or a server that stops answering half-way fails the run with the page it happened on."""

from __future__ import annotations

import http.client
import io
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.utils.translation import gettext as _

from importers.gdal import pyarrow, pyogrio
from importers.readers import hosts
from importers.readers.base import (
    Batch,
    ImportFailed,
    Mapping,
    ResolvedMapping,
    StreamInfo,
    batch_from_arrow,
    layer_option,
    srid_from_crs,
)

USER_AGENT = "zelfbeheer-importer/1"


def _timeout() -> float:
    return float(settings.IMPORT_HTTP_TIMEOUT)


def fetch(url: str, *, what: str, accept: str = "*/*") -> bytes:
    """The body of a GET; ImportFailed naming `what` for any HTTP error, timeout or refusal."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise ImportFailed(
            _("%(what)s: alleen http- en https-URL's zijn te lezen (%(url)s)") % {"what": what, "url": url}
        )
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})  # noqa: S310
    try:
        with hosts.opener().open(request, timeout=_timeout()) as response:  # scheme checked above
            return bytes(response.read())
    except hosts.HostRefused as error:
        raise error.at(what) from None
    except urllib.error.HTTPError as error:
        # Only the status and an OGC exception's own text: the body of an error page could be
        # anything the server holds, and the run's message is shown to the GIS admin.
        detail = _exception_text(error.read()[:2000])
        words = {"what": what, "status": error.code, "detail": detail}
        if detail:
            raise ImportFailed(_("%(what)s: de server antwoordde met HTTP %(status)d: %(detail)s") % words) from None
        raise ImportFailed(_("%(what)s: de server antwoordde met HTTP %(status)d") % words) from None
    except TimeoutError:
        raise ImportFailed(_no_answer(what)) from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise ImportFailed(_no_answer(what)) from None
        raise ImportFailed(
            _("%(what)s: de server is niet te bereiken: %(reason)s") % {"what": what, "reason": reason}
        ) from None
    except (OSError, http.client.HTTPException) as error:
        # IncompleteRead: the server closed the connection before the Content-Length it announced.
        message = _("%(what)s: de verbinding brak af: %(error)s") % {"what": what, "error": error}
        raise ImportFailed(message) from None


def _no_answer(what: str) -> str:
    return _("%(what)s: geen antwoord binnen %(seconds)g s") % {"what": what, "seconds": _timeout()}


_EXCEPTION = re.compile(rb"<(?:\w+:)?ExceptionText>(.*?)</(?:\w+:)?ExceptionText>", re.DOTALL)


def _exception_text(body: bytes) -> str:
    if b"ExceptionReport" not in body[:2000] and b"ServiceExceptionReport" not in body[:2000]:
        return ""
    texts = [m.group(1).decode("utf-8", "replace").strip() for m in _EXCEPTION.finditer(body)]
    return "; ".join(texts) or _("een ExceptionReport zonder tekst")


def _without_params(url: str, *names: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in names]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _with_params(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in {p.lower() for p in params}]
    query.extend(params.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _arrow_batches(body: bytes, *, what: str, **open_options: str) -> Iterator[Any]:
    """Arrow record batches of a GML or GeoJSON document, read by GDAL from memory."""
    try:
        with pyogrio().open_arrow(io.BytesIO(body), use_pyarrow=True, **open_options) as (meta, reader):
            for record_batch in reader:
                yield meta, record_batch
    except ImportFailed:
        raise
    except Exception as error:
        raise ImportFailed(
            _("%(what)s: GDAL kan het antwoord niet lezen: %(error)s")
            % {"what": what, "error": str(error).strip()[:300]}
        ) from None


# A WFS announces its page cap in the capabilities: WFS 2.0 `CountDefault` (GeoServer, MapServer),
# MapServer's WFS 1.1.0 `DefaultMaxFeatures`; the number is in ows:DefaultValue or ows:Value.
_CAP_CONSTRAINT = re.compile(
    rb"""<(?:[\w.-]+:)?Constraint\s+name=["'](?:CountDefault|DefaultMaxFeatures)["']\s*>(.*?)</(?:[\w.-]+:)?Constraint>""",
    re.DOTALL,
)
_CAP_VALUE = re.compile(rb"<(?:[\w.-]+:)?(?:DefaultValue|Value)>\s*(\d+)\s*</")


def count_default(capabilities: bytes) -> int | None:
    """The smallest page cap a WFS capabilities document announces, or None when it names none."""
    values = [
        int(value.group(1))
        for constraint in _CAP_CONSTRAINT.finditer(capabilities)
        for value in _CAP_VALUE.finditer(constraint.group(1))
    ]
    return min((v for v in values if v > 0), default=None)


_ROOT = re.compile(rb"<(?:[\w.-]+:)?FeatureCollection\b[^>]*>")
_XML_END = re.compile(rb"</(?:[\w.-]+:)?FeatureCollection>\s*$")
_MEMBER = re.compile(rb"<(?:[\w.-]+:)?(?:member|featureMembers?)[\s>]")
_EMPTY_GEOJSON = re.compile(rb'"features"\s*:\s*\[\s*\]')
_MATCHED = re.compile(rb'numberMatched"?\s*[=:]\s*"?(\d+)')
_RETURNED = re.compile(rb'numberReturned"?\s*[=:]\s*"?(\d+)')
_HITS = re.compile(rb'number(?:Matched|OfFeatures)="(\d+)"')


@dataclass(frozen=True)
class _Page:
    """One GetFeature answer and what it says about itself."""

    body: bytes
    xml: bool
    matched: int | None  # numberMatched when a number; WFS 2.0 servers may say "unknown"
    returned: int | None  # numberReturned, when told

    @classmethod
    def of(cls, body: bytes) -> _Page:
        xml = body.lstrip()[:1] == b"<"
        if xml:  # the root element's attributes
            root = _ROOT.search(body, 0, 16000)
            head = root.group(0) if root else b""
        else:  # MapServer writes numberMatched before the features, GeoServer after them
            features = body.find(b'"features"', 0, 16000)
            head = body[: max(features, 0)] + body[-1000:]
        matched, returned = _MATCHED.search(head), _RETURNED.search(head)
        return cls(body=body, xml=xml, matched=int(matched.group(1)) if matched else None,
                   returned=int(returned.group(1)) if returned else None)  # fmt: skip

    def cut_off(self) -> bool:
        """True when the document ends before its end: GDAL reads a GML page cut in half as 0
        features without an error (measured, GDAL 3.12), so a connection closed half-way would
        otherwise look like the last page."""
        tail = self.body[-256:]
        return not _XML_END.search(tail) if self.xml else not tail.rstrip().endswith(b"}")

    def has_features(self) -> bool:
        if self.returned == 0:
            return False
        if self.xml:
            return _MEMBER.search(self.body) is not None
        return len(self.body) > 65536 or _EMPTY_GEOJSON.search(self.body) is None


@dataclass
class WfsStream:
    """GetFeature pages of one typename, in the storage CRS.

    Pages end only where the server says so: an empty page, or as many features as a page's
    numberMatched. A short page is no end: PDOK answers at most 1,000 features per request,
    ArcGIS Server 1,000 by default, MapServer its wfs_maxfeatures; the next pages ask for that
    many, from where the features that arrived end. When a total was told and a different
    number arrived, the run fails.
    """

    url: str
    typename: str
    mapping: Mapping
    page_size: int
    info: StreamInfo = field(default_factory=lambda: StreamInfo(srid=settings.STORAGE_SRID))
    cap: int | None = None  # the page cap the capabilities announce
    hits: int | None = None  # the total a resultType=hits request told
    _resolved: ResolvedMapping | None = field(default=None, init=False, repr=False)

    def open(self) -> WfsStream:
        if not self.typename:
            raise ImportFailed(
                _("%(url)s: geef de typename van de WFS in %(option)s") % {"url": self.url, "option": layer_option()}
            )
        query = {k.lower(): v for k, v in parse_qsl(urlsplit(self.url).query)}
        self.version = query.get("version", "2.0.0")
        if self.version not in ("2.0.0", "1.1.0"):
            raise ImportFailed(
                _("%(url)s: WFS-versie %(version)s wordt niet ondersteund (wel 2.0.0 en 1.1.0)")
                % {"url": self.url, "version": self.version}
            )
        self.cap = self._announced_cap()
        self.hits = self._hits()
        # MapServer answers hits with at most its cap (wfs_maxfeatures): as many as the cap is "at
        # least that many", not a total. Shown as one, the progress bar stood at 2000 / 500 (400%).
        capped = self.hits is not None and self.cap is not None and self.hits >= self.cap
        self.info.total = None if capped else self.hits
        return self

    def _params(self, **extra: str) -> dict[str, str]:
        srid = settings.STORAGE_SRID
        names = "typeNames" if self.version == "2.0.0" else "typeName"
        params = {"service": "WFS", "version": self.version, "request": "GetFeature", names: self.typename}
        params["srsName"] = f"urn:ogc:def:crs:EPSG::{srid}"
        return {**params, **extra}

    def _announced_cap(self) -> int | None:
        """CountDefault from the capabilities; None when they name none or cannot be read (they
        are a hint: a short page tells the cap as well)."""
        url = _with_params(_without_params(self.url, "outputformat", "typename", "typenames"),
                           service="WFS", version=self.version, request="GetCapabilities")  # fmt: skip
        try:
            return count_default(fetch(url, what=_("%(url)s (capabilities)") % {"url": self.url}))
        except ImportFailed:
            return None

    def _hits(self) -> int | None:
        """numberMatched (1.1.0: numberOfFeatures) of a resultType=hits request; None when the
        server refuses hits or ignores resultType and sends features."""
        url = _without_params(self.url, "outputformat")  # hits are always XML
        try:
            what = _("%(url)s (hits)") % {"url": self.url}
            body = fetch(_with_params(url, **self._params(resultType="hits")), what=what)
        except ImportFailed:
            return None  # no hits support; the first page names any real trouble
        if _exception_text(body) or _MEMBER.search(body):
            return None
        root = _ROOT.search(body, 0, 16000)
        match = _HITS.search(root.group(0)) if root else None
        return int(match.group(1)) if match else None

    def batches(self) -> Iterator[Batch]:
        size = min(self.page_size, self.cap or self.page_size)
        count = "count" if self.version == "2.0.0" else "maxFeatures"
        start, page, largest = 0, 1, 0
        matched: int | None = None
        previous_first: tuple[Any, ...] | None = None
        while True:
            url = _with_params(self.url, **self._params(startIndex=str(start), **{count: str(size)}))
            what = _("%(url)s typename %(typename)s, pagina %(page)d (objecten vanaf %(start)d)") % {
                "url": self.url, "typename": self.typename, "page": page, "start": start,
            }  # fmt: skip
            body = fetch(url, what=what)
            if text := _exception_text(body):
                raise ImportFailed(
                    _("%(what)s: de WFS antwoordde met een foutmelding: %(text)s") % {"what": what, "text": text}
                )
            if not body.strip():
                raise ImportFailed(_("%(what)s: de WFS stuurde een leeg antwoord") % {"what": what})
            answer = _Page.of(body)
            if answer.cut_off():
                raise ImportFailed(
                    _("%(what)s: het antwoord houdt halverwege op (is de verbinding verbroken?)") % {"what": what}
                )
            if answer.matched is not None:
                matched = answer.matched
            read, first = 0, None
            if answer.has_features():
                for batch in self._page_batches(answer, start=start, what=what):
                    if first is None:
                        first = self._first_key(batch)
                    read += len(batch)
                    if self.info.total is not None and start + read > self.info.total:
                        self.info.total = None  # more than hits told: it told a cap, not the total
                    yield batch
                if answer.returned is not None and read != answer.returned:
                    raise ImportFailed(
                        _("%(what)s: de pagina bevat %(told)d objecten, maar er waren er %(read)d te lezen")
                        % {"what": what, "told": answer.returned, "read": read}
                    )
                if read == 0:
                    raise ImportFailed(
                        _("%(what)s: de pagina bevat objecten, maar er was er geen te lezen") % {"what": what}
                    )
            if read == 0:
                break  # an empty page: the end
            if first == previous_first:
                raise ImportFailed(
                    _("%(what)s: de WFS stuurde dezelfde objecten als voor de vorige pagina: hij negeert startIndex "
                      "en is dus niet in pagina's te lezen")
                    % {"what": what}
                )  # fmt: skip
            previous_first = first
            start += read
            largest = max(largest, read)
            if matched is not None and start >= matched:
                break
            # Fewer than asked for, and not known to be the end: the server's cap. Ask for that many.
            size = min(size, read)
            page += 1
        self._check_arrived(start, matched=matched, largest=largest)
        self.info.total = start

    def _page_batches(self, answer: _Page, *, start: int, what: str) -> Iterator[Batch]:
        # Remote XML schemas are never fetched; the option means nothing to GeoJSON.
        options = {"DOWNLOAD_SCHEMA": "NO"} if answer.xml else {}
        read = 0
        for meta, record_batch in _arrow_batches(answer.body, what=what, **options):
            fields = [str(f) for f in meta["fields"]]
            if self._resolved is None:
                mapping = self.mapping
                if not mapping.id_field and "gml_id" in fields:
                    mapping = Mapping(**{**mapping.__dict__, "id_field": "gml_id"})
                try:
                    self._resolved = ResolvedMapping.for_fields(mapping, _useful(fields))
                except ImportFailed as error:
                    raise error.at(what) from None
                self.info.fields = fields
            if record_batch.num_rows == 0:
                continue
            geometry = meta.get("geometry_name") or "wkb_geometry"
            batch = batch_from_arrow(
                _with_columns(record_batch, self._resolved), start=start + read, mapping=self._resolved,
                geometry_column=geometry,
            )  # fmt: skip
            read += len(batch)
            yield batch

    def _first_key(self, batch: Batch) -> tuple[Any, ...]:
        """The first feature of a page, to tell a server that ignores startIndex."""
        ext_id = batch.table.column("ext_id")[0].as_py() if self._resolved and self._resolved.id_field else None
        return (ext_id, batch.table.column("wkb")[0].as_py())

    def _check_arrived(self, arrived: int, *, matched: int | None, largest: int) -> None:
        """ImportFailed when the server told a total and a different number of features arrived."""
        where = _("%(url)s typename %(typename)s") % {"url": self.url, "typename": self.typename}
        if matched is not None:  # the pages' own numberMatched, the latest word, wins over hits
            if arrived != matched:
                raise ImportFailed(_("%(where)s: de WFS zei dat %(matched)d objecten voldoen, maar er kwamen er "
                                     "%(arrived)d aan")
                                   % {"where": where, "matched": matched, "arrived": arrived})  # fmt: skip
            return
        # MapServer 8 answers resultType=hits with at most its wfs_maxfeatures (measured: 500 for
        # 2,475 features), so more than hits said is only wrong when one page alone brought more.
        if self.hits is not None and (arrived < self.hits or self.hits < largest):
            raise ImportFailed(
                _(
                    "%(where)s: de WFS zei dat %(hits)d objecten voldoen (resultType=hits), maar er kwamen er "
                    "%(arrived)d aan"
                )
                % {"where": where, "hits": self.hits, "arrived": arrived}
            )


def _useful(fields: list[str]) -> list[str]:
    # MapServer adds each feature's envelope as lowerCorner/upperCorner text fields.
    return [f for f in fields if f not in ("lowerCorner", "upperCorner")]


def _with_columns(record_batch: Any, resolved: ResolvedMapping) -> Any:
    """The batch with a null column for every mapped field this page lacks (a field that is
    empty on every feature of a page is not in that page's schema)."""
    pa = pyarrow()
    names = set(record_batch.schema.names)
    wanted = [f for f in (resolved.id_field, resolved.name_field, resolved.type_field, *resolved.keep_fields) if f]
    missing = [f for f in dict.fromkeys(wanted) if f not in names]
    for name in missing:
        record_batch = record_batch.append_column(name, pa.nulls(record_batch.num_rows, pa.string()))
    return record_batch


@dataclass
class OapifStream:
    """Items of one OGC API Features collection, page after page along the `next` links."""

    url: str
    mapping: Mapping
    page_size: int
    info: StreamInfo = field(default_factory=lambda: StreamInfo(srid=4326))

    def open(self) -> OapifStream:
        parts = urlsplit(self.url)
        path = parts.path.rstrip("/")
        if not path.endswith("/items"):
            path += "/items"
        self.items_url = urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
        collection_url = urlunsplit((parts.scheme, parts.netloc, path[: -len("/items")], "", ""))
        self.crs_param = ""
        try:
            what = _("%(url)s (collectie)") % {"url": collection_url}
            body = fetch(_with_params(collection_url, f="json"), what=what, accept="application/json")
            collection = json.loads(body)
        except (ImportFailed, ValueError):
            collection = {}
        storage = f"http://www.opengis.net/def/crs/EPSG/0/{settings.STORAGE_SRID}"
        if storage in (collection.get("crs") or []):
            # Part 2: ask for the storage CRS, so coordinates arrive exact instead of reprojected twice.
            self.crs_param = storage
            self.info.srid = settings.STORAGE_SRID
        return self

    def batches(self) -> Iterator[Batch]:
        params = {"limit": str(self.page_size), "f": "json"}
        if self.crs_param:
            params["crs"] = self.crs_param
        if self.mapping.where:
            params.update({"filter": self.mapping.where, "filter-lang": "cql2-text"})
        url: str | None = _with_params(self.items_url, **params)
        start = 0
        page = 1
        matched: int | None = None
        resolved: ResolvedMapping | None = None
        seen_urls: set[str] = set()
        # The end is where the server says it: no next link, or an empty page. A page shorter than
        # `limit` is no end (servers cap `limit`; pygeoapi at its `limit` setting), and neither is
        # numberMatched reached while a next link says there is more: the count is checked after.
        while url:
            if url in seen_urls:
                raise ImportFailed(
                    _("%(url)s: pagina %(page)d: de next-link wijst terug naar een eerdere pagina")
                    % {"url": self.items_url, "page": page}
                )
            seen_urls.add(url)
            what = _("%(url)s, pagina %(page)d (objecten vanaf %(start)d)") % {
                "url": self.items_url, "page": page, "start": start,
            }  # fmt: skip
            body = fetch(url, what=what, accept="application/geo+json, application/json")
            try:
                document = json.loads(body)
            except ValueError:
                raise ImportFailed(_("%(what)s: het antwoord is geen JSON") % {"what": what}) from None
            if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
                raise ImportFailed(_("%(what)s: het antwoord is geen GeoJSON-FeatureCollection") % {"what": what})
            if isinstance(document.get("numberMatched"), int):
                matched = document["numberMatched"]
                if page == 1:
                    self.info.total = matched
            features = document.get("features") or []
            returned = document.get("numberReturned")
            if isinstance(returned, int) and returned != len(features):
                raise ImportFailed(_("%(what)s: de pagina zegt %(returned)d objecten te bevatten, maar er kwamen er "
                                     "%(read)d aan")
                                   % {"what": what, "returned": returned, "read": len(features)})  # fmt: skip
            if not features:
                break
            batch, resolved = self._batch(features, start=start, resolved=resolved, what=what)
            start += len(batch)
            yield batch
            url = next((link.get("href") for link in document.get("links") or [] if link.get("rel") == "next"), None)
            page += 1
        if matched is not None and start != matched:
            raise ImportFailed(_("%(url)s: de OGC API zei dat %(matched)d objecten voldoen, maar er kwamen er "
                                 "%(arrived)d aan")
                               % {"url": self.items_url, "matched": matched, "arrived": start})  # fmt: skip
        self.info.total = start

    def _batch(
        self, features: list[dict[str, Any]], *, start: int, resolved: ResolvedMapping | None, what: str
    ) -> tuple[Batch, ResolvedMapping]:
        pa = pyarrow()
        import shapely

        columns: dict[str, list[Any]] = {}
        for i, feature in enumerate(features):
            properties = dict(feature.get("properties") or {})
            properties.setdefault("id", feature.get("id"))
            for key in properties:
                columns.setdefault(key, [None] * len(features))
            for key, value in properties.items():
                columns[key][i] = value if not isinstance(value, dict | list) else json.dumps(value)
        if resolved is None:
            fields = list(columns)
            mapping = self.mapping
            if not mapping.id_field:
                mapping = Mapping(**{**mapping.__dict__, "id_field": "id"})
            try:
                resolved = ResolvedMapping.for_fields(mapping, fields)
            except ImportFailed as error:
                raise error.at(what) from None
            self.info.fields = fields
        geometries = [json.dumps(f["geometry"]) if f.get("geometry") else None for f in features]
        try:
            wkb = shapely.to_wkb(shapely.from_geojson(geometries, on_invalid="ignore"))
        except Exception as error:  # shapely raises GEOSException for malformed GeoJSON
            raise ImportFailed(
                _("%(what)s: een geometrie is niet te lezen: %(error)s") % {"what": what, "error": error}
            ) from None
        table = {}
        for name in dict.fromkeys(
            [f for f in (resolved.id_field, resolved.name_field, resolved.type_field, *resolved.keep_fields) if f]
        ):
            values = columns.get(name, [None] * len(features))
            try:
                table[name] = pa.array(values)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                table[name] = pa.array([None if v is None else str(v) for v in values], pa.string())
        table["__geometry"] = pa.array(list(wkb), pa.binary())
        record_batch = pa.RecordBatch.from_pydict(table)
        batch = batch_from_arrow(record_batch, start=start, mapping=resolved, geometry_column="__geometry")
        return batch, resolved


def open_service(kind: str, *, url: str, layer: str, crs: str, mapping: Mapping) -> WfsStream | OapifStream:
    """The open stream of a WFS or OGC API Features source."""
    if kind == "wfs":
        return WfsStream(url=url, typename=layer, mapping=mapping, page_size=settings.IMPORT_WFS_PAGE_SIZE).open()
    stream = OapifStream(url=url, mapping=mapping, page_size=settings.IMPORT_OAPIF_PAGE_SIZE).open()
    if crs and not stream.crs_param:
        stream.info.srid = srid_from_crs(crs, fallback=crs, where=url)
    return stream
