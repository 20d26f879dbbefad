import pytest
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_the_openapi_document_describes_the_workflow_endpoints() -> None:
    answer = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert answer.status_code == 200
    paths = answer.json()["paths"]
    for path in ("/api/overlap-check/", "/api/locations/{id}/signups/", "/api/contracts/{id}/approve/",
                 "/api/contracts/{id}/reject/", "/api/initiatives/", "/api/initiatives/{id}/approve/"):  # fmt: skip
        assert path in paths, path
    assert APIClient().get("/api/docs/").status_code == 200


def test_the_openapi_document_builds_without_guesses(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every warning is a field drf-spectacular had to guess (the locations' geometry came out as a string)."""
    from django.core.management import call_command

    document = tmp_path / "openapi.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(document))
    assert "MultiPolygon" in document.read_text()
