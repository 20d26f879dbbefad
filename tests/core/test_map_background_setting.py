"""MAP_BACKGROUND_URL: an XYZ template of http(s) tiles, or empty for a map without background."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from gis_service.env import env_tile_url

DEFAULT = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"


def test_it_takes_the_default_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAP_BACKGROUND_URL", raising=False)
    assert env_tile_url("MAP_BACKGROUND_URL", DEFAULT) == DEFAULT


def test_empty_means_no_background(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAP_BACKGROUND_URL", "")
    assert env_tile_url("MAP_BACKGROUND_URL", DEFAULT) == ""


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("https://tiles.example.org/{z}/{x}.png", "lacks {y}"),
        ("ftp://tiles.example.org/{z}/{x}/{y}.png", "not a valid URL"),
        ("https://user:geheim@tiles.example.org/{x}/{y}", "lacks {z}"),
    ],
)
def test_it_refuses_what_is_not_a_tile_template(monkeypatch: pytest.MonkeyPatch, value: str, message: str) -> None:
    monkeypatch.setenv("MAP_BACKGROUND_URL", value)
    with pytest.raises(ImproperlyConfigured, match=message) as raised:
        env_tile_url("MAP_BACKGROUND_URL", DEFAULT)
    assert "geheim" not in str(raised.value)
