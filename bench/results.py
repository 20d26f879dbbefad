"""Shared by the benchmarks: writing one section of docs/benchmarks.md."""

from __future__ import annotations

import re

from bench.support import ROOT

DOC = ROOT / "docs" / "benchmarks.md"
HEADER = (
    "# Benchmarks\n\nWritten by `make bench` (`python -m bench`); each section by its own benchmark module, except\n"
    'the sections marked "written by hand", which no benchmark touches.\n'
)


def write_section(heading: str, body: str) -> None:
    """Replaces (or appends) the `## heading` section of docs/benchmarks.md.

    Only that section: a hand-written `## heading: …` note after it is a section of its own and stays.
    """
    text = DOC.read_text() if DOC.exists() else HEADER
    section = f"## {heading}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text)
