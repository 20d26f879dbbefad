"""The English catalogs are complete and current (docs/i18n.md): `make test` fails on a wrapped string
that no catalog has, on an entry nobody translated (or one left fuzzy), and on a stale .mo file.

Every check runs per catalog directory of settings.LOCALE_PATHS, so a failure names the app."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGE = "en"
DOMAINS = ("django", "djangojs")
LOCALE_DIRS = [Path(path).relative_to(ROOT) for path in settings.LOCALE_PATHS]
# What the copy leaves out: environments, packages, collected files, tests, data, compiled catalogs.
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv*", "node_modules", "var", "tests", "bench", "fixtures", "docs", "*.mo", "__pycache__", ".*_cache"
)


def catalog(root: Path, locale_dir: Path, domain: str) -> Path:
    return root / locale_dir / LANGUAGE / "LC_MESSAGES" / f"{domain}.po"


def keys(po: polib.POFile) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project in which `make messages` extracted every string of the code (its catalogs
    start as the committed ones, so what the run adds is what they miss)."""
    copy = tmp_path_factory.mktemp("catalogs") / "project"
    shutil.copytree(ROOT, copy, ignore=NOT_COPIED, symlinks=True)
    subprocess.run(
        [sys.executable, "scripts/messages.py", "--extract-only"],
        cwd=copy,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "gis_service.settings"},
        check=True,
        capture_output=True,
        timeout=300,
    )
    return copy


@pytest.mark.parametrize("locale_dir", LOCALE_DIRS, ids=str)
def test_every_wrapped_string_is_in_the_committed_catalog(extracted: Path, locale_dir: Path) -> None:
    missing: dict[str, list[str]] = {}
    for domain in DOMAINS:
        found = catalog(extracted, locale_dir, domain)
        if not found.exists():
            continue
        committed = catalog(ROOT, locale_dir, domain)
        known = keys(polib.pofile(str(committed))) if committed.exists() else set()
        new = sorted(msgid for _context, msgid in keys(polib.pofile(str(found))) - known)
        if new:
            missing[str(committed.relative_to(ROOT))] = new
    assert not missing, f"strings without a catalog entry (run `make messages` and translate them): {missing}"


@pytest.mark.parametrize("locale_dir", LOCALE_DIRS, ids=str)
def test_the_english_catalog_has_no_untranslated_or_fuzzy_entry(locale_dir: Path) -> None:
    problems: dict[str, list[str]] = {}
    for domain in DOMAINS:
        committed = catalog(ROOT, locale_dir, domain)
        if not committed.exists():
            continue
        po = polib.pofile(str(committed))
        wrong = [f"untranslated: {entry.msgid}" for entry in po.untranslated_entries()]
        wrong += [f"fuzzy: {entry.msgid}" for entry in po.fuzzy_entries()]
        if po.metadata_is_fuzzy:
            wrong.append("fuzzy: the header")
        if wrong:
            problems[str(committed.relative_to(ROOT))] = wrong
    assert not problems, f"English catalogs to finish: {problems}"


@pytest.mark.parametrize("locale_dir", LOCALE_DIRS, ids=str)
def test_the_compiled_catalog_is_up_to_date(locale_dir: Path, tmp_path: Path) -> None:
    stale = []
    for domain in DOMAINS:
        committed = catalog(ROOT, locale_dir, domain)
        if not committed.exists():
            continue
        compiled = committed.with_suffix(".mo")
        fresh = tmp_path / f"{domain}.mo"
        # The same command compilemessages runs.
        subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(committed)], check=True, timeout=60)
        if not compiled.exists() or compiled.read_bytes() != fresh.read_bytes():
            stale.append(str(compiled.relative_to(ROOT)))
    assert not stale, f"compiled catalogs older than their .po (run `make messages`): {stale}"
