"""Reading web services: WFS 2.0.0 / 1.1.0 GetFeature in pages, and OGC API Features following
`next` links. Every page is fetched by us (not by GDAL), so a server error, an exception report
or a server that stops answering half-way fails the run with the page it happened on."""

from __future__ import annotations

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

from importers.gdal import pyarrow, pyogrio
from importers.readers.base import (
    Batch,
    ImportFailed,
    Mapping,
    ResolvedMapping,
    StreamInfo,
    batch_from_arrow,
    srid_from_crs,
)

USER_AGENT = "zelfbeheer-importer/1"


def _timeout() -> float:
    return float(settings.IMPORT_HTTP_TIMEOUT)


def fetch(url: str, *, what: str, accept: str = "*/*") -> bytes:
    """The body of a GET; ImportFailed naming `what` for any HTTP error, timeout or refusal."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise ImportFailed(f"{what}: only http and https URLs can be read ({url})")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=_timeout()) as response:  # noqa: S310  # scheme checked above
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        body = error.read()[:2000]
        detail = _exception_text(body) or body.decode("utf-8", "replace").strip()[:300]
        raise ImportFailed(f"{what}: the server answered HTTP {error.code}: {detail}") from None
    except TimeoutError:
        raise ImportFailed(f"{what}: no answer within {_timeout():g} s") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise ImportFailed(f"{what}: no answer within {_timeout():g} s") from None
        raise ImportFailed(f"{what}: cannot reach the server: {reason}") from None
    except OSError as error:
        raise ImportFailed(f"{what}: the connection broke off: {error}") from None


_EXCEPTION = re.compile(rb"<(?:\w+:)?ExceptionText>(.*?)</(?:\w+:)?ExceptionText>", re.DOTALL)


def _exception_text(body: bytes) -> str:
    if b"ExceptionReport" not in body[:2000] and b"ServiceExceptionReport" not in body[:2000]:
        return ""
    texts = [m.group(1).decode("utf-8", "replace").strip() for m in _EXCEPTION.finditer(body)]
    return "; ".join(texts) or "exception report without text"


def _without_params(url: str, *names: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in names]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


_EMPTY_PAGE = re.compile(rb'number(?:Returned|OfFeatures)="0"')
_EMPTY_GEOJSON = re.compile(rb'"features"\s*:\s*\[\s*\]\s*\}\s*$')


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
        raise ImportFailed(f"{what}: GDAL cannot read the answer: {str(error).strip()[:300]}") from None


@dataclass
class WfsStream:
    """GetFeature pages of one typename, in the storage CRS."""

    url: str
    typename: str
    mapping: Mapping
    page_size: int
    info: StreamInfo = field(default_factory=lambda: StreamInfo(srid=settings.STORAGE_SRID))

    def open(self) -> WfsStream:
        if not self.typename:
            raise ImportFailed(f"{self.url}: give the WFS typename with --layer")
        query = {k.lower(): v for k, v in parse_qsl(urlsplit(self.url).query)}
        self.version = query.get("version", "2.0.0")
        if self.version not in ("2.0.0", "1.1.0"):
            raise ImportFailed(f"{self.url}: WFS version {self.version} is not supported (2.0.0 or 1.1.0)")
        self.info.total = self._hits()
        return self

    def _params(self, **extra: str) -> dict[str, str]:
        srid = settings.STORAGE_SRID
        names = "typeNames" if self.version == "2.0.0" else "typeName"
        params = {"service": "WFS", "version": self.version, "request": "GetFeature", names: self.typename}
        params["srsName"] = f"urn:ogc:def:crs:EPSG::{srid}"
        return {**params, **extra}

    def _hits(self) -> int | None:
        """numberMatched from a resultType=hits request, when the server tells it."""
        url = _without_params(self.url, "outputformat")  # hits are always XML
        try:
            body = fetch(_with_params(url, **self._params(resultType="hits")), what=f"{self.url} (hits)")
        except ImportFailed as error:
            if "HTTP 4" in str(error) or "exception" in str(error).lower():
                raise
            return None
        if text := _exception_text(body):
            raise ImportFailed(f"{self.url}: the WFS refused the request: {text}")
        match = re.search(rb'number(?:Matched|OfFeatures)="(\d+)"', body[:4000])
        return int(match.group(1)) if match else None

    def batches(self) -> Iterator[Batch]:
        start = 0
        page = 1
        resolved: ResolvedMapping | None = None
        while True:
            size = "count" if self.version == "2.0.0" else "maxFeatures"
            url = _with_params(self.url, **self._params(startIndex=str(start), **{size: str(self.page_size)}))
            what = f"{self.url} typename {self.typename}, page {page} (features from {start})"
            body = fetch(url, what=what)
            if text := _exception_text(body):
                raise ImportFailed(f"{what}: the WFS answered with an exception: {text}")
            if not body.strip():
                raise ImportFailed(f"{what}: the WFS sent an empty answer")
            read = 0
            if _EMPTY_PAGE.search(body[:4000]) or _EMPTY_GEOJSON.search(body[-200:]):
                break
            # Remote XML schemas are never fetched; the option means nothing to GeoJSON.
            options = {"DOWNLOAD_SCHEMA": "NO"} if body.lstrip()[:1] == b"<" else {}
            for meta, record_batch in _arrow_batches(body, what=what, **options):
                fields = [str(f) for f in meta["fields"]]
                if resolved is None:
                    mapping = self.mapping
                    if not mapping.id_field and "gml_id" in fields:
                        mapping = Mapping(**{**mapping.__dict__, "id_field": "gml_id"})
                    try:
                        resolved = ResolvedMapping.for_fields(mapping, _useful(fields))
                    except ImportFailed as error:
                        raise ImportFailed(f"{what}: {error}") from None
                    self.info.fields = fields
                if record_batch.num_rows == 0:
                    continue
                geometry = meta.get("geometry_name") or "wkb_geometry"
                batch = batch_from_arrow(
                    _with_columns(record_batch, resolved), start=start + read, mapping=resolved,
                    geometry_column=geometry,
                )  # fmt: skip
                read += len(batch)
                yield batch
            if read < self.page_size:
                break
            start += read
            page += 1


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
            body = fetch(_with_params(collection_url, f="json"), what=f"{collection_url} (collection)",
                         accept="application/json")  # fmt: skip
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
        resolved: ResolvedMapping | None = None
        seen_urls: set[str] = set()
        while url:
            if url in seen_urls:
                raise ImportFailed(f"{self.items_url}: page {page}: the next link points back to an earlier page")
            seen_urls.add(url)
            what = f"{self.items_url}, page {page} (features from {start})"
            body = fetch(url, what=what, accept="application/geo+json, application/json")
            try:
                document = json.loads(body)
            except ValueError:
                raise ImportFailed(f"{what}: the answer is not JSON") from None
            if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
                raise ImportFailed(f"{what}: the answer is not a GeoJSON FeatureCollection")
            if page == 1 and isinstance(document.get("numberMatched"), int):
                self.info.total = document["numberMatched"]
            features = document.get("features") or []
            if features:
                batch, resolved = self._batch(features, start=start, resolved=resolved, what=what)
                start += len(batch)
                yield batch
            url = next((link.get("href") for link in document.get("links") or [] if link.get("rel") == "next"), None)
            page += 1

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
                raise ImportFailed(f"{what}: {error}") from None
            self.info.fields = fields
        geometries = [json.dumps(f["geometry"]) if f.get("geometry") else None for f in features]
        try:
            wkb = shapely.to_wkb(shapely.from_geojson(geometries, on_invalid="ignore"))
        except Exception as error:  # shapely raises GEOSException for malformed GeoJSON
            raise ImportFailed(f"{what}: a geometry cannot be read: {error}") from None
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
