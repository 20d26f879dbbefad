import pytest
from django.test import Client

from tests.conftest import free_port


@pytest.mark.django_db
def test_it_reports_database_postgis_and_broker_when_all_are_fine(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["database"]["detail"].startswith("PostgreSQL ")
    assert body["postgis"]["ok"] and body["postgis"]["detail"][0].isdigit()
    assert body["broker"]["ok"]


@pytest.mark.django_db
def test_it_answers_503_when_the_broker_is_down(client: Client, settings) -> None:
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["broker"]["ok"] is False
    assert "geen verbinding" in body["broker"]["detail"]  # no Accept-Language: Dutch
    assert body["database"]["ok"] is True
    english = client.get("/healthz", headers={"Accept-Language": "en"}).json()
    assert english["broker"]["detail"].startswith("cannot connect to redis://127.0.0.1:")


@pytest.mark.django_db
def test_a_client_elsewhere_gets_the_states_without_versions_or_hosts(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = Client(REMOTE_ADDR="203.0.113.9").get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable", "database": {"ok": True}, "postgis": {"ok": True}, "broker": {"ok": False},
    }  # fmt: skip
