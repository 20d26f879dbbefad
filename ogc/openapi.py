"""Makes pygeoapi's OpenAPI document a valid OpenAPI 3.0 document that stands on its own.

pygeoapi 0.24 writes responses, parameters and schemas as references into OGC's remote YAML
files (schemas.opengis.net, geojson.org), passes provider fields through as parameter schemas
(with a `values` keyword JSON Schema does not know), and describes single items and request
bodies with the collection's JSON Schema document (`$schema`, no `description`). The
`openapi-spec-validator` found 82 errors in it; code generators, schemathesis and validators
fail on them, and clients that cannot reach OGC's servers cannot resolve the references.
Here every remote reference is replaced by a local component that says what the answer is.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

OGC_PART1 = "ogcapi-features-1.yaml#/components/"
COMPONENTS = "#/components/"

LINK: dict[str, Any] = {
    "type": "object",
    "required": ["href"],
    "properties": {
        "href": {"type": "string"},
        "rel": {"type": "string"},
        "type": {"type": "string"},
        "hreflang": {"type": "string"},
        "title": {"type": "string"},
        "length": {"type": "integer"},
    },
}
LINKS: dict[str, Any] = {"type": "array", "items": {"$ref": f"{COMPONENTS}schemas/link"}}
POSITIONS = {"type": "array", "minItems": 2, "items": {"type": "number"}}
MULTI_POLYGON: dict[str, Any] = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {
        "type": {"type": "string", "enum": ["MultiPolygon"]},
        "coordinates": {
            "type": "array",
            "items": {"type": "array", "items": {"type": "array", "minItems": 4, "items": POSITIONS}},
        },
        "bbox": {"type": "array", "minItems": 4, "items": {"type": "number"}},
    },
}
GEOMETRY: dict[str, Any] = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"type": "string"}, "coordinates": {"type": "array", "items": {}}},
    "nullable": True,
}
FEATURE: dict[str, Any] = {
    "type": "object",
    "required": ["type", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "geometry": {"$ref": f"{COMPONENTS}schemas/geometry"},
        "properties": {"type": "object", "nullable": True},
        "links": LINKS,
    },
}
FEATURE_COLLECTION: dict[str, Any] = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {"$ref": f"{COMPONENTS}schemas/feature"}},
        "links": LINKS,
        "numberMatched": {"type": "integer", "minimum": 0},
        "numberReturned": {"type": "integer", "minimum": 0},
        "timeStamp": {"type": "string", "format": "date-time"},
    },
}
EXCEPTION: dict[str, Any] = {
    "type": "object",
    "required": ["code"],
    "properties": {"code": {"type": "string"}, "type": {"type": "string"}, "description": {"type": "string"}},
}
CONFORMANCE: dict[str, Any] = {
    "type": "object",
    "required": ["conformsTo"],
    "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}},
}
COLLECTION: dict[str, Any] = {
    "type": "object",
    "required": ["id", "links"],
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "links": LINKS,
        "extent": {"type": "object"},
        "itemType": {"type": "string"},
        "crs": {"type": "array", "items": {"type": "string"}},
        "storageCrs": {"type": "string"},
    },
}
COLLECTIONS: dict[str, Any] = {
    "type": "object",
    "required": ["links", "collections"],
    "properties": {
        "links": LINKS,
        "collections": {"type": "array", "items": {"$ref": f"{COMPONENTS}schemas/collection"}},
    },
}
LANDING_PAGE: dict[str, Any] = {
    "type": "object",
    "required": ["links"],
    "properties": {"title": {"type": "string"}, "description": {"type": "string"}, "links": LINKS},
}
# CQL2 JSON is a recursive grammar (https://schemas.opengis.net/cql2/1.0/cql2.json); a request
# body is an object with `op` and `args`, which the server checks and answers 400 when malformed.
CQL2_JSON: dict[str, Any] = {
    "type": "object",
    "description": "A CQL2 JSON expression, as https://schemas.opengis.net/cql2/1.0/cql2.json defines it",
    "required": ["op", "args"],
    "properties": {"op": {"type": "string"}, "args": {"type": "array", "items": {}}},
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "link": LINK,
    "geometry": GEOMETRY,
    "MultiPolygon": MULTI_POLYGON,
    "feature": FEATURE,
    "featureCollection": FEATURE_COLLECTION,
    "exception": EXCEPTION,
    "confClasses": CONFORMANCE,
    "collection": COLLECTION,
    "collections": COLLECTIONS,
    "landingPage": LANDING_PAGE,
    "cql2": CQL2_JSON,
}


def _content(schema: str, *, media_type: str = "application/json", html: bool = True) -> dict[str, Any]:
    content: dict[str, Any] = {media_type: {"schema": {"$ref": f"{COMPONENTS}schemas/{schema}"}}}
    if html:
        content["text/html"] = {"schema": {"type": "string"}}
    return content


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _content("exception", html=False)}


RESPONSES: dict[str, dict[str, Any]] = {
    "LandingPage": {"description": "The landing page: links to the API's parts", "content": _content("landingPage")},
    "ConformanceDeclaration": {
        "description": "The conformance classes this API implements",
        "content": _content("confClasses"),
    },
    "Collections": {"description": "The feature collections", "content": _content("collections")},
    "Collection": {"description": "A feature collection", "content": _content("collection")},
    "Features": {
        "description": "A page of the collection's features, with a next link when more follow",
        "content": {
            **_content("featureCollection", media_type="application/geo+json"),
            "text/csv": {"schema": {"type": "string"}},
            "application/ld+json": {"schema": {"type": "object"}},
        },
    },
    "Feature": {"description": "One feature", "content": _content("feature", media_type="application/geo+json")},
    "InvalidParameter": _error("A query parameter has an invalid value, or is unknown"),
    "NotFound": _error("The collection or feature does not exist"),
    "ServerError": _error("A server error occurred"),
    "default": _error("Unexpected error"),
}
PARAMETERS: dict[str, dict[str, Any]] = {
    "featureId": {
        "name": "featureId",
        "in": "path",
        "required": True,
        "description": "identifier of a feature",
        "schema": {"type": "string"},
    },
}
# Paths whose 200 answer pygeoapi describes as a landing page.
OK_RESPONSES = {"/conformance": "ConformanceDeclaration", "/collections": "Collections"}
# JSON Schema keywords an OpenAPI 3.0 Schema Object does not allow (3.0 is a subset of draft 5).
NOT_IN_OPENAPI_30 = ("$schema", "$id")


def make_valid(document: dict[str, Any]) -> dict[str, Any]:
    """The document, changed in place: local components for remote references, valid 3.0 schemas."""
    components = document.setdefault("components", {})
    for kind, defined in (("schemas", SCHEMAS), ("responses", RESPONSES), ("parameters", PARAMETERS)):
        for name, value in defined.items():
            components.setdefault(kind, {})[name] = deepcopy(value)
    for path, item in document.get("paths", {}).items():
        if path in OK_RESPONSES and "get" in item:
            item["get"]["responses"]["200"] = {"$ref": f"{COMPONENTS}responses/{OK_RESPONSES[path]}"}
        for method, operation in item.items():
            if isinstance(operation, dict):
                _fix_operation(path, method, operation)
    return _local_references(document)


def _fix_operation(path: str, method: str, operation: dict[str, Any]) -> None:
    # We answer 400 to parameters we do not know (Part 1 query-param-unknown), so the document
    # does not offer "vendor specific" free-form ones.
    parameters = [
        p for p in operation.get("parameters", []) if not p.get("$ref", "").endswith("/vendorSpecificParameters")
    ]
    for parameter in parameters:
        schema = parameter.get("schema")
        if isinstance(schema, dict) and "values" in schema:
            schema["enum"] = schema.pop("values")  # a provider field's allowed values
    if "parameters" in operation:
        operation["parameters"] = parameters
    responses = operation.get("responses", {})
    ok = responses.get("200")
    if path.endswith("/items/{featureId}") and method == "get" and isinstance(ok, dict) and "description" not in ok:
        # pygeoapi puts the collection's JSON Schema document here, as the answer itself
        responses["200"] = {"$ref": f"{COMPONENTS}responses/Feature"}
    body = operation.get("requestBody")
    if body is not None:
        body["content"] = _request_content(body.get("content", {}))


def _request_content(content: dict[str, Any]) -> dict[str, Any]:
    """What a client sends: a GeoJSON feature (with the collection's properties), or CQL2 JSON."""
    fixed: dict[str, Any] = {}
    schema_document = content.get("application/schema+json", {}).get("schema")
    if "application/geo+json" in content:
        feature = deepcopy(FEATURE)
        if isinstance(schema_document, dict):
            properties = {k: v for k, v in schema_document.get("properties", {}).items() if k != "geometry"}
            feature["properties"]["properties"] = {"type": "object", "properties": properties}
            if "geometry" in schema_document.get("properties", {}):  # the collection's type, with its role
                feature["properties"]["geometry"] = schema_document["properties"]["geometry"]
        fixed["application/geo+json"] = {"schema": feature}
    if "application/json" in content:
        fixed["application/json"] = {"schema": {"$ref": f"{COMPONENTS}schemas/cql2"}}
    return fixed


def _local_references(node: Any, parent: str = "") -> Any:
    """Remote `$ref`s become references to the components above; schemas lose what 3.0 does not know."""
    if isinstance(node, list):
        return [_local_references(item, parent) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#"):
        node = {**node, **_local_reference(ref)}
        if len(node) > 1 and "$ref" in node:
            # siblings of $ref are ignored in 3.0: keep them (x-ogc-role) beside an allOf
            node = {"allOf": [{"$ref": node.pop("$ref")}], **node}
    for key in NOT_IN_OPENAPI_30:
        if key in node and parent not in ("properties", "responses", "parameters", "paths"):
            node.pop(key)
    return {key: _local_references(value, key) for key, value in node.items()}


def _local_reference(ref: str) -> dict[str, Any]:
    name = ref.rsplit("/", 1)[-1].removesuffix(".yaml").removesuffix(".json")
    if "/responses/" in ref:
        return {"$ref": f"{COMPONENTS}responses/{name if name in RESPONSES else 'default'}"}
    if "/parameters/" in ref and name in PARAMETERS:
        return {"$ref": f"{COMPONENTS}parameters/{name}"}
    if "/parameters/sortby" in ref:
        return {"$ref": f"{COMPONENTS}parameters/sortby"}
    if name in SCHEMAS:
        return {"$ref": f"{COMPONENTS}schemas/{name}"}
    if "geojson.org/schema/" in ref:  # another geometry type than the collections have today
        return {"$ref": f"{COMPONENTS}schemas/geometry"}
    if name == "cql2":
        return {"$ref": f"{COMPONENTS}schemas/cql2"}
    raise ValueError(f"pygeoapi refers to {ref}, which ogc.openapi does not know: add it there")
