#!/usr/bin/env python3
"""Regenerates every translation catalog from the code and compiles them (docs/i18n.md).

    .venv/bin/python scripts/messages.py                 makemessages -l en (django, djangojs), then compile
    .venv/bin/python scripts/messages.py --compile-only  only compilemessages (scripts/setup.sh runs this)
    .venv/bin/python scripts/messages.py --extract-only  only makemessages (the catalog test runs this in a copy)

One run from the project root fills each app's `locale/en/LC_MESSAGES/django.po` (and djangojs.po for
JavaScript) and gis_service/locale for the modules outside apps; settings.LOCALE_PATHS decides which
file goes where. Locations are left out (--no-location), so a moved line changes no catalog.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not ours, or not shown to users: environments, npm packages, collected static files, tests, benchmarks.
IGNORED = [".venv*", "node_modules", "var", "tests", "bench", "docs", "fixtures", "scripts", "build"]
LANGUAGES = ["en"]


def _locale_dirs() -> list[Path]:
    from django.conf import settings

    return [Path(path) for path in settings.LOCALE_PATHS]


def extract() -> None:
    from django.core.management import call_command

    # makemessages puts a file in the first locale dir *it has met* whose parent holds the file: an
    # app without a locale dir yet would have its strings put in gis_service/locale. So every one
    # exists while it runs; those that stay empty are removed again.
    created = [path for path in _locale_dirs() if not path.exists()]
    for path in created:
        path.mkdir(parents=True)
    try:
        for domain in ("django", "djangojs"):
            call_command(
                "makemessages",
                locale=LANGUAGES,
                domain=domain,
                no_location=True,
                no_obsolete=True,
                ignore_patterns=IGNORED,
                verbosity=0,
            )
        for catalog in _catalogs():
            _drop_creation_date(catalog)
            _fill_new_header(catalog)
    finally:
        for path in created:
            if not any(path.rglob("*.po")):
                for directory in sorted(path.rglob("*"), reverse=True):
                    directory.rmdir()
                path.rmdir()


def _catalogs() -> list[Path]:
    return [catalog for path in _locale_dirs() for catalog in path.glob("*/LC_MESSAGES/*.po")]


def _drop_creation_date(catalog: Path) -> None:
    """makemessages stamps every catalog with the time of the run: without the stamp a run that found
    nothing new changes no file, and two branches never conflict on that line."""
    lines = catalog.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith('"POT-Creation-Date:')]
    if kept != lines:
        catalog.write_text("".join(kept), encoding="utf-8")


def _fill_new_header(catalog: Path) -> None:
    """A new app's catalog arrives with gettext's template header, marked fuzzy (which the catalog test
    refuses, and msgfmt then ignores the plural rule): give it the project's header instead."""
    text = catalog.read_text(encoding="utf-8")
    if '"Project-Id-Version: PACKAGE VERSION\\n"' not in text:
        return
    language = catalog.parent.parent.name
    text = text.replace('#, fuzzy\nmsgid ""', 'msgid ""', 1)
    text = text.replace('"Project-Id-Version: PACKAGE VERSION\\n"', '"Project-Id-Version: zelfbeheerplatform\\n"', 1)
    text = text.replace('"Language: \\n"', f'"Language: {language}\\n"', 1)
    catalog.write_text(text, encoding="utf-8")


def compile_catalogs() -> None:
    from django.core.management import call_command

    call_command("compilemessages", ignore_patterns=IGNORED, verbosity=0)


def main(argv: list[str]) -> int:
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_service.settings")
    import django

    django.setup()
    if "--compile-only" not in argv:
        extract()
    if "--extract-only" not in argv:
        compile_catalogs()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
