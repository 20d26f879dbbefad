"""Django's `{# … #}` comments end on their own line: one spread over two lines is printed on the page
(it was, above every form field, for a while). Multi-line comments use {% comment %}."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

TEMPLATE_ROOTS = ["web/templates", "ogc/templates", "importers/templates", "gis_service"]
JINJA_TEMPLATES = "ogc/templates/pygeoapi"  # pygeoapi's Jinja2 pages: there a comment may span lines


def test_no_template_comment_spans_lines() -> None:
    root = Path(settings.BASE_DIR)
    broken = []
    for folder in TEMPLATE_ROOTS:
        for template in sorted((root / folder).rglob("*.html")) + sorted((root / folder).rglob("*.txt")):
            if str(template.relative_to(root)).startswith(JINJA_TEMPLATES):
                continue
            for number, line in enumerate(template.read_text().splitlines(), start=1):
                start = line.find("{#")
                if start != -1 and "#}" not in line[start:]:
                    broken.append(f"{template.relative_to(root)}:{number}")
    assert not broken, f"{{# … #}} must close on its own line (use {{% comment %}}): {broken}"


def test_a_form_field_renders_without_template_comments() -> None:
    from django import forms
    from django.template.loader import render_to_string

    class Form(forms.Form):
        name = forms.CharField(label="Naam", help_text="Zoals op je kaartje")

    html = render_to_string("web/_field.html", {"field": Form()["name"]})
    assert "Naam" in html and "{#" not in html and "#}" not in html and "comment" not in html
