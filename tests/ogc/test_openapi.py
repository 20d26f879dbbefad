"""The feed's OpenAPI document (/ogc/openapi) is valid OpenAPI 3.0 and stands on its own."""

from __future__ import annotations

import json
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV30SpecValidator

from tests.ogc.conftest import OgcClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(ogc: OgcClient) -> dict[str, Any]:
    response = ogc.get("/openapi", {"f": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return json.loads(response.content)


def references(node: Any) -> list[str]:
    if isinstance(node, list):
        return [ref for item in node for ref in references(item)]
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in references(value)]
    return []


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        for part in node["$ref"].removeprefix("#/").split("/"):
            document = document[part]
        node = document
    return node


def test_openapi_spec_validator_finds_no_error(document: dict[str, Any]) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in OpenAPIV30SpecValidator(
        document).iter_errors()]  # fmt: skip
    assert errors == []


def test_every_reference_is_local_and_resolves(document: dict[str, Any]) -> None:
    refs = references(document)
    assert refs, "the document uses components"
    assert [ref for ref in refs if not ref.startswith("#/")] == []
    for ref in set(refs):
        resolve(document, {"$ref": ref})  # raises KeyError for a dangling one


def test_every_response_says_what_it_is(document: dict[str, Any]) -> None:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                assert resolve(document, response)["description"], (path, method, status)


def test_query_parameters_of_properties_list_their_values_as_enum(document: dict[str, Any]) -> None:
    parameters = document["paths"]["/collections/locations/items"]["get"]["parameters"]
    status = next(p for p in parameters if p.get("name") == "status")
    assert status["schema"]["enum"] == ["beschikbaar", "aangevraagd", "in beheer", "niet beschikbaar"]
    assert "values" not in status["schema"]
    # unknown parameters answer 400, so the document offers no free-form ones
    assert not [p for p in parameters if "vendorSpecific" in p.get("$ref", "")]


def test_single_items_and_pages_are_geojson(document: dict[str, Any]) -> None:
    item = resolve(document, document["paths"]["/collections/locations/items/{featureId}"]["get"]["responses"]["200"])
    feature = resolve(document, item["content"]["application/geo+json"]["schema"])
    assert feature["properties"]["type"]["enum"] == ["Feature"]
    page = resolve(document, document["paths"]["/collections/locations/items"]["get"]["responses"]["200"])
    collection = resolve(document, page["content"]["application/geo+json"]["schema"])
    assert {"numberMatched", "numberReturned", "links", "features"} <= set(collection["properties"])
    conformance = resolve(document, document["paths"]["/conformance"]["get"]["responses"]["200"])
    assert "conformsTo" in resolve(document, conformance["content"]["application/json"]["schema"])["properties"]


def test_request_bodies_are_a_feature_with_the_collections_properties_or_cql2_json(document: dict[str, Any]) -> None:
    create = document["paths"]["/collections/locations/items"]["post"]["requestBody"]["content"]
    assert set(create) == {"application/geo+json", "application/json"}
    properties = create["application/geo+json"]["schema"]["properties"]["properties"]["properties"]
    assert "name" in properties and "geometry" not in properties
    assert resolve(document, create["application/json"]["schema"])["required"] == ["op", "args"]
    query_only = document["paths"]["/collections/contracts/items"]["post"]["requestBody"]["content"]
    assert set(query_only) == {"application/json"}  # contracts are not editable
    replace = document["paths"]["/collections/locations/items/{featureId}"]["put"]["requestBody"]["content"]
    assert set(replace) == {"application/geo+json"}


def test_a_new_feature_has_the_collections_geometry_type_with_its_part5_role(document: dict[str, Any]) -> None:
    create = document["paths"]["/collections/locations/items"]["post"]["requestBody"]["content"]
    geometry = create["application/geo+json"]["schema"]["properties"]["geometry"]
    assert geometry["x-ogc-role"] == "primary-geometry"
    assert resolve(document, geometry["allOf"][0])["properties"]["type"]["enum"] == ["MultiPolygon"]


# pygeoapi's own answers that the definition leaves out: its copy of the tile matrix sets (its landing page
# links it; the standard's /tileMatrixSets is described) and its list of processes (there are none).
NOT_DESCRIBED = {"/TileMatrixSets", "/TileMatrixSets/{tileMatrixSetId}", "/processes"}
# The names the definition gives the URLconf's path converters.
PATH_PARAMETERS = {
    "item_id": "{featureId}",
    "tile_matrix_set_id": "{tileMatrixSetId}",
    "tilematrixset_id": "{tileMatrixSetId}",
    "level": "{tileMatrix}",
    "row": "{tileRow}",
    "col": "{tileCol}",
}


def feed_paths() -> set[str]:
    """Every path the feed answers (ogc/urls.py), as the definition writes it, one per collection."""
    import re

    from ogc.collections import COLLECTIONS
    from ogc.urls import urlpatterns

    paths = set()
    for pattern in urlpatterns:
        route = "/" + str(pattern.pattern).rstrip("/")
        route = re.sub(r"<str:(\w+)>", lambda m: PATH_PARAMETERS.get(m.group(1), f"<{m.group(1)}>"), route)
        paths |= {route.replace("<collection_id>", cid) for cid in COLLECTIONS.all()}
    return paths


def test_every_path_the_feed_answers_is_described(document: dict[str, Any]) -> None:
    """The tiles were missing: pygeoapi describes only its own endpoints."""
    assert {"/collections/locations/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", "/"} <= feed_paths()
    assert feed_paths() - NOT_DESCRIBED - set(document["paths"]) == set()
    assert set(document["paths"]) - feed_paths() == set()


def test_the_tiles_are_described_with_what_they_select_on(document: dict[str, Any]) -> None:
    tile = document["paths"]["/collections/locations/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"]["get"]
    parameters = {p.get("name") or p["$ref"].rsplit("/", 1)[-1]: p for p in tile["parameters"]}
    assert set(parameters) == {"tileMatrixSetId", "tileMatrix", "tileRow", "tileCol", "type", "status", "owner", "q",
                               "f", "lang"}  # fmt: skip
    assert parameters["tileMatrixSetId"]["schema"]["enum"] == ["WebMercatorQuad", "NetherlandsRDNewQuad"]
    assert "beschikbaar" in parameters["status"]["schema"]["enum"]
    assert list(tile["responses"]["200"]["content"]) == ["application/vnd.mapbox-vector-tile"]
    contracts = "/collections/contracts/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"
    assert "q" not in {p.get("name") for p in document["paths"][contracts]["get"]["parameters"]}


def test_every_tag_has_operations(document: dict[str, Any]) -> None:
    """pygeoapi listed coverages, edr, maps, processes, records and stac, which this API does not offer."""
    used = {tag for item in document["paths"].values() for op in item.values() for tag in op.get("tags", [])}
    assert [tag["name"] for tag in document["tags"] if tag["name"] not in used] == []
    assert {"locations", "server"} <= {tag["name"] for tag in document["tags"]}
