"""The OpenAPI document's texts of drf-spectacular and Django REST framework, in the request's language.

Our own texts are gettext_lazy Dutch msgids where they are written (views, serializers, settings); these
few come from the libraries in English only, which the Dutch document would show among Dutch texts.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

# The libraries' exact English, as they write it whatever the language (they have no Dutch catalog).
LIBRARY_TEXTS = {
    "No response body": gettext_lazy("Geen inhoud in het antwoord"),
    'Token-based authentication with required prefix "Token"': gettext_lazy(
        'Inloggen met een token, met het voorvoegsel "Token"'
    ),
}
# Django REST framework's description of a path's {id}, with the model's verbose name (already ours).
_PRIMARY_KEY = re.compile(r"A unique integer value identifying this (?P<name>.+)\.")


def _translated(text: str) -> str:
    if text in LIBRARY_TEXTS:
        return str(LIBRARY_TEXTS[text])
    match = _PRIMARY_KEY.fullmatch(text)
    if match:
        return gettext("Het unieke nummer van een %(name)s.") % {"name": match["name"]}
    return text


def _walk(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str | Promise):  # a library's text may be lazy
                node[key] = _translated(str(value))
            else:
                _walk(value)
    elif isinstance(node, list):
        for item in node:
            _walk(item)


def translate_library_texts(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the libraries' English descriptions in the active language."""
    _walk(result)
    return result
