import pytest
from django.core.exceptions import ImproperlyConfigured

from gis_service import env


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
