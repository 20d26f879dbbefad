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
