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
