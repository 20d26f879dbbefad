"""The server deployment (docker compose) and the configuration docs match what the code reads.

No Docker engine runs on our machines, so these parse the files instead of starting them.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_variables() -> set[str]:
    """Every environment variable the settings read through the typed helpers."""
    source = (ROOT / "gis_service" / "settings.py").read_text()
    return set(re.findall(r'(?:env_\w+|database_from_url|email_from_url)\(\s*"([A-Z0-9_]+)"', source))


def test_it_defines_postgis_redis_web_worker_and_beat_with_healthchecks() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "redis", *APP_SERVICES}
    assert services["db"]["image"].startswith("postgis/postgis:")
    assert services["redis"]["image"].startswith("redis:")
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no healthcheck"
    assert "gunicorn gis_service.wsgi" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "gis_service", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "gis_service", "beat"]


def test_it_points_the_app_services_at_the_compose_database_and_broker() -> None:
    services = compose()["services"]
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgis://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        assert env["DEBUG"] == "false"
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"


def test_it_starts_postgresql_with_the_random_page_cost_of_memory_and_ssds() -> None:
    """At 4 (disk seeks) the planner hashed all 47,890 offerings for a bbox page of 193 locations at
    10,000,000 (docs/scaling.md); the image's entrypoint passes `-c` settings on to postgres."""
    command = compose()["services"]["db"]["command"]
    assert command[0] == "postgres"
    pairs = zip(command[1::2], command[2::2], strict=True)
    settings = dict(value.split("=", 1) for flag, value in pairs if flag == "-c")
    assert settings["random_page_cost"] == "1.1"


def test_it_keeps_data_in_named_volumes() -> None:
    spec = compose()
    assert {"pgdata", "media"} <= set(spec["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in spec["services"]["db"]["volumes"]


def test_env_example_documents_every_variable_the_settings_read() -> None:
    # A variable whose default fits a local run (SITE_URL follows PORT) is shown commented out.
    documented = set(re.findall(r"^(?:# )?([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), flags=re.M))
    read = settings_variables()
    assert {"DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "SECRET_KEY", "SITE_URL", "STORAGE_SRID"} <= read
    assert read - documented == set()


def test_readme_lists_every_variable_in_its_configuration_table() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = {name for name in settings_variables() if f"`{name}`" not in readme}
    assert missing == set()
