"""The management commands speak the active language (docs/i18n.md): Dutch msgids, English from the
catalogs. `manage.py` runs them in LANGUAGE_CODE (Dutch); these tests read each command's `--help` and
one real run under `translation.override("en")` and in Dutch.

The help is made as `manage.py <command> --help` makes it (the command's parser, formatted); one test
runs `manage.py --help` itself, where a lazy `help` that reaches argparse unconverted fails."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command, get_commands, load_command_class
from django.utils import translation
from pytest_django import Settings

from gis_service.core.health import ServiceUnavailable
from gis_service.owners.models import Owner
from tests.conftest import free_port

from .conftest import squares, write_layer

COMMANDS = ["create_owner", "preflight", "load_demo", "import_locations", "load_value_areas"]

# A few characteristic words of each command's help, in either language.
HELP = {
    "create_owner": {
        "nl": ["Maakt een eigenaar", "naam van de organisatie", "soort eigenaar", "de naam als slug"],
        "en": ["Creates an owner", "name of the organisation", "kind of owner", "the name as a slug"],
    },
    "preflight": {
        "nl": ["Controleert de database", "op één regel", "exitcode 2"],
        "en": ["Checks the database", "on one line", "exits with code 2"],
    },
    "load_demo": {
        "nl": ["Laadt de demo", "eigenaren, gebruikers", "verhaal"],
        "en": ["Loads the demo", "owners, users", "story"],
    },
    "import_locations": {
        "nl": ["Importeert een bestand", "slug van de eigenaar", "opgeslagen bron", "samenvatting van de run"],
        "en": ["Imports a file", "slug of the owner", "saved source", "run's summary as one JSON object"],
    },
    "load_value_areas": {
        "nl": ["Laadt de gebieden", "het aantal huishoudens", "verwijder de gebieden"],
        "en": ["Loads the areas", "the number of households", "remove the owner's areas"],
    },
}

# Dutch words of these helps that English never has. Names and values stay as they are in English
# ("Gemeente Hilversum", 'buurten', the choices gemeente and buurt, CBS's "wijk- en buurtkaart"), so
# "en" and those are not in the list.
DUTCH_WORDS = [
    "de", "het", "een", "van", "met", "voor", "niet", "als", "bestand", "eigenaar", "eigenaren", "standaard",
    "veld", "bijvoorbeeld", "gebied", "gebieden", "laag", "naam", "soort", "pad", "bron", "huishoudens",
    "gebruikers", "verhaal", "verwijder", "vergelijk", "schrijf", "samenvatting", "opnieuw", "exitcode",
]  # fmt: skip


def command_help(name: str) -> str:
    """The text `manage.py <name> --help` prints, in the active language."""
    command = load_command_class(get_commands()[name], name)
    return command.create_parser("manage.py", name).format_help()


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_help_is_in_the_active_language(name: str, language: str) -> None:
    with translation.override(language):
        text = " ".join(command_help(name).split())  # argparse wraps lines
    for words in HELP[name][language]:
        assert words in text
    if language == "en":
        assert not [word for word in DUTCH_WORDS if re.search(rf"\b{word}\b", text)], text


@pytest.mark.parametrize("name", COMMANDS)
def test_manage_py_prints_the_help_in_dutch(name: str) -> None:
    """The real entry point, in LANGUAGE_CODE: argparse refuses a lazy description it is handed as is."""
    result = subprocess.run(
        [sys.executable, "manage.py", name, "--help"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert HELP[name]["nl"][0] in " ".join(result.stdout.split())


def run(name: str, *args: str, language: str, **options: object) -> str:
    out = StringIO()
    with translation.override(language):
        call_command(name, *args, stdout=out, **options)
    return out.getvalue()


CREATE_OWNER = {
    "nl": [
        "eigenaar aangemaakt: gemeente-x (Gemeente X, gemeente)",
        "eigenaar bestaat al, ongewijzigd gelaten: gemeente-x (Gemeente X, gemeente)",
        "van deze naam is geen slug te maken: geef --slug op",
    ],
    "en": [
        "owner created: gemeente-x (Gemeente X, municipality)",
        "owner exists, left unchanged: gemeente-x (Gemeente X, municipality)",
        "cannot make a slug from this name: give --slug",
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_create_owner_tells_what_it_did_in_the_active_language(language: str) -> None:
    created, exists, no_slug = CREATE_OWNER[language]
    assert run("create_owner", "Gemeente X", kind="gemeente", language=language).strip() == created
    assert run("create_owner", "Gemeente X", kind="gemeente", language=language).strip() == exists
    with translation.override(language), pytest.raises(CommandError) as refusal:
        call_command("create_owner", "!!", kind="gemeente")
    assert str(refusal.value) == no_slug
    assert refusal.value.returncode == 1


PREFLIGHT = {
    "nl": ("database, PostGIS en broker: in orde", "broker: geen verbinding met redis://127.0.0.1:"),
    "en": ("database, PostGIS and broker: ok", "broker: cannot connect to redis://127.0.0.1:"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_preflight_reports_in_the_active_language(language: str, settings: Settings) -> None:
    ok, broker_down = PREFLIGHT[language]
    assert run("preflight", language=language).strip() == ok
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    # manage.py prints this one line and exits 2 (gis_service.core.startup; tests/core/test_bad_configuration.py).
    with translation.override(language), pytest.raises(ServiceUnavailable) as problem:
        call_command("preflight")
    assert str(problem.value).startswith(broker_down)


LOAD_DEMO = {
    "nl": [
        "demogegevens: eigenaren hilversum, hilverhof; gebruikers admin, regisseur,",
        "BGT-locaties van de demo: geslaagd, ",
        " nieuw, 0 ongewijzigd",
        "verhaal van de demo: aanbod, een beheerde locatie met haar groep",
    ],
    "en": [
        "demo data: owners hilversum, hilverhof; users admin, regisseur,",
        "demo BGT locations: succeeded, ",
        " new, 0 unchanged",
        "demo story: offers, a managed location with its group",
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_load_demo_tells_what_it_loaded_in_the_active_language(language: str) -> None:
    lines = run("load_demo", language=language).splitlines()
    assert len(lines) == 3
    users, bgt, story = lines
    owners_and_users, locations, new, story_start = LOAD_DEMO[language]
    assert users.startswith(owners_and_users)
    assert bgt.startswith(locations) and bgt.endswith(new)
    assert story.startswith(story_start)


VALUE_AREAS = {"nl": "1 gebied geladen voor aadorp (buurt)", "en": "1 area loaded for aadorp (neighbourhood)"}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_load_value_areas_tells_what_it_loaded_in_the_active_language(
    owner_a: Owner, tmp_path: Path, language: str
) -> None:
    rows = [{"buurtcode": "BU01", "buurtnaam": "Oost", "geometry": squares(1)[0]}]
    path = write_layer(tmp_path / "buurten.gpkg", rows, layer="buurten")
    assert run("load_value_areas", str(path), owner=owner_a.slug, language=language).strip() == VALUE_AREAS[language]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_import_locations_json_keeps_its_english_keys_in_either_language(
    owner_a: Owner, tmp_path: Path, language: str
) -> None:
    """Scripts parse `--json` (the acceptance checks among them): its keys and status are no text."""
    rows = [{"guid": f"g{i}", "geometry": poly} for i, poly in enumerate(squares(2))]
    path = write_layer(tmp_path / "groen.gpkg", rows, layer="groen")
    args = (str(path), "--owner", owner_a.slug, "--source", "s", "--id-field", "guid", "--json")
    summary = json.loads(run("import_locations", *args, language=language))
    assert list(summary) == [
        "run", "source", "status", "read", "created", "updated", "unchanged", "withdrawn", "repaired", "rejected",
        "message",
    ]  # fmt: skip
    assert (summary["status"], summary["created"]) == ("succeeded", 2)
