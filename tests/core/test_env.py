import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gis_service import env

ROOT = Path(settings.BASE_DIR)


def test_it_reads_booleans_and_refuses_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "Yes")
    assert env.env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert env.env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG='maybe' is not a boolean"):
        env.env_bool("FLAG", False)


def test_it_refuses_a_number_out_of_range(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE_SRID", "12")
    with pytest.raises(ImproperlyConfigured, match="STORAGE_SRID=12 is below the minimum 1024"):
        env.env_int("STORAGE_SRID", 28992, minimum=1024)
    monkeypatch.setenv("STORAGE_SRID", "rd")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env.env_int("STORAGE_SRID", 28992)


def test_it_reads_security_contacts_as_uris_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECURITY_CONTACT", "mailto:security@aadorp.nl, https://aadorp.nl/melden")
    assert env.env_contacts("SECURITY_CONTACT") == ["mailto:security@aadorp.nl", "https://aadorp.nl/melden"]
    for wrong in ("security@aadorp.nl", "http://aadorp.nl/melden", "mailto:nobody"):
        monkeypatch.setenv("SECURITY_CONTACT", wrong)
        with pytest.raises(ImproperlyConfigured, match="is not a contact URI"):
            env.env_contacts("SECURITY_CONTACT")


def test_it_parses_a_postgis_url_with_escaped_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgis://gis:p%40ss@db.example:6543/zelfbeheer?sslmode=require")
    db = env.database_from_url("DATABASE_URL", "")
    assert db["ENGINE"] == "django.contrib.gis.db.backends.postgis"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "gis",
        "p@ss",
        "db.example",
        "6543",
        "zelfbeheer",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/db", "expected postgis://"),
        ("postgis://postgres@localhost", "names no database"),
        ("postgis://postgres@localhost:port/db", "port that is not a number"),
    ],
)
def test_it_refuses_a_malformed_database_url(monkeypatch: pytest.MonkeyPatch, url: str, message: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match=message):
        env.database_from_url("DATABASE_URL", "")


def test_it_reads_smtp_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMAIL_URL", "smtp+tls://mailer:secret@smtp.example:587")
    mail = env.email_from_url("EMAIL_URL", "")
    assert (mail.host, mail.port, mail.user, mail.password, mail.use_tls, mail.use_ssl) == (
        "smtp.example",
        587,
        "mailer",
        "secret",
        True,
        False,
    )
    monkeypatch.setenv("EMAIL_URL", "http://smtp.example")
    with pytest.raises(ImproperlyConfigured, match="expected smtp://"):
        env.email_from_url("EMAIL_URL", "")


@pytest.mark.django_db
def test_the_app_sessions_run_without_jit() -> None:
    """JIT only cost time here (gis_service/settings.py); every session of ours turns it off."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_it_reads_allowed_hosts_and_refuses_a_malformed_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMPORT_ALLOWED_HOSTS", "WFS.intern.example, 10.20.0.0/16,127.0.0.2,::1")
    assert env.env_hosts("IMPORT_ALLOWED_HOSTS", []) == ["wfs.intern.example", "10.20.0.0/16", "127.0.0.2", "::1"]
    for bad in ("10.0.0.0/33", "a host"):
        monkeypatch.setenv("IMPORT_ALLOWED_HOSTS", bad)
        with pytest.raises(ImproperlyConfigured, match="IMPORT_ALLOWED_HOSTS"):
            env.env_hosts("IMPORT_ALLOWED_HOSTS", [])


def settings_in_a_fresh_process(env_file: Path, **env: str) -> dict[str, object]:
    """SITE_URL and CSRF_TRUSTED_ORIGINS as a new process reads them from `env_file` and `env`."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "CSRF_TRUSTED_ORIGINS", "PORT")}
    environment.update(ENV_FILE=str(env_file), DEBUG="true", DJANGO_SETTINGS_MODULE="gis_service.settings", **env)
    code = "import json; from django.conf import settings as s; print(json.dumps([s.SITE_URL, s.CSRF_TRUSTED_ORIGINS]))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60, check=True
    )
    site_url, origins = json.loads(result.stdout)
    return {"SITE_URL": site_url, "CSRF_TRUSTED_ORIGINS": origins}


def test_site_url_follows_port_when_it_is_not_set(tmp_path: Path) -> None:
    assert settings_in_a_fresh_process(tmp_path / "no.env", PORT="18300") == {
        "SITE_URL": "http://127.0.0.1:18300",
        "CSRF_TRUSTED_ORIGINS": ["http://127.0.0.1:18300"],
    }
    assert settings_in_a_fresh_process(tmp_path / "no.env")["SITE_URL"] == "http://127.0.0.1:8000"


def test_a_dotenv_made_from_the_example_does_not_pin_site_url() -> None:
    """`make setup` copies .env.example to .env: with it, `PORT=18300 make run` links to :18300."""
    assert settings_in_a_fresh_process(ROOT / ".env.example", PORT="18300")["SITE_URL"] == "http://127.0.0.1:18300"


def test_an_explicit_site_url_wins_over_port(tmp_path: Path) -> None:
    read = settings_in_a_fresh_process(tmp_path / "no.env", PORT="18300", SITE_URL="https://zelfbeheer.example.org/")
    assert read == {
        "SITE_URL": "https://zelfbeheer.example.org",
        "CSRF_TRUSTED_ORIGINS": ["https://zelfbeheer.example.org"],
    }


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("DATABASE_URL", "postgis://gis:s3cret@db.example:port/zelfbeheer"),
        ("DATABASE_URL", "mysql://gis:s3cret@db.example/zelfbeheer"),
        ("DATABASE_URL", "postgis://gis:s3cret@db.example:5432/"),
        ("DATABASE_URL", "postgis://gis:s3cret@[db.example/zelfbeheer"),
        ("EMAIL_URL", "smtp://mail:s3cret@mail.example:twentyfive"),
        ("EMAIL_URL", "http://mail:s3cret@mail.example"),
        ("CELERY_BROKER_URL", "http://:s3cret@redis.example:6379/0"),
        ("CACHE_URL", "memcached://cache:s3c/ret@cache.example/1"),
    ],
)
def test_it_never_shows_a_password_in_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, name: str, url: str
) -> None:
    monkeypatch.setenv(name, url)
    readers = {
        "DATABASE_URL": lambda: env.database_from_url(name, ""),
        "EMAIL_URL": lambda: env.email_from_url(name, ""),
        "CELERY_BROKER_URL": lambda: env.env_url(name, "", schemes=("redis", "rediss", "amqp")),
        "CACHE_URL": lambda: env.env_url(name, "", schemes=("redis", "rediss", "unix")),
    }
    with pytest.raises(ImproperlyConfigured) as error:
        readers[name]()
    assert "s3c" not in str(error.value) and "***@" in str(error.value)
    assert name in str(error.value)


def test_it_reads_rates_as_drf_writes_them_and_refuses_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env.env_rate("ZB_TEST_RATE", "10/hour") == "10/hour"
    for good in ("120/min", "3/s", "20/day"):
        monkeypatch.setenv("ZB_TEST_RATE", good)
        assert env.env_rate("ZB_TEST_RATE", "10/hour") == good
    for bad in ("fast", "10", "ten/hour", "10/week"):
        monkeypatch.setenv("ZB_TEST_RATE", bad)
        with pytest.raises(ImproperlyConfigured, match="ZB_TEST_RATE"):
            env.env_rate("ZB_TEST_RATE", "10/hour")
