"""What every browser journey shares (issue 16): it runs once with a Dutch and once with an English
browser, finds the texts a reader sees through our catalogs, and runs axe-core on every page it visits.

`Texts` looks a Dutch msgid up in the language of the run, and refuses a msgid that English leaves
untranslated: a journey that typed a Dutch text wrongly would otherwise pass in English by finding
the same Dutch on the page. `AxeWalk` records every page a browser tab lands on (by path) and is
told when each is ready; a violation fails the journey at that step, and a page the journey landed
on but never checked fails it at the end."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import formats, translation
from django.utils.translation.trans_real import DjangoTranslation

from gis_service.accounts.models import User

LOCALES = ("nl-NL", "en-GB")
in_both_languages = pytest.mark.parametrize("locale", LOCALES)

AXE = Path(settings.BASE_DIR) / "web" / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def language_of(locale: str) -> str:
    """The site's language for a browser locale ("en-GB" -> "en")."""
    return translation.get_supported_language_variant(locale.split("-")[0])


class Texts:
    """The interface texts of one language, by their Dutch msgid."""

    def __init__(self, locale: str) -> None:
        self.language = language_of(locale)

    def __call__(self, msgid: str, **params: object) -> str:
        with translation.override(self.language):
            text = translation.gettext(msgid)
        self._translated(msgid, text)
        return text % params if params else text

    def plural(self, singular: str, plural: str, number: int, **params: object) -> str:
        """The form for `number`; a msgid with named placeholders gets them as `params`."""
        with translation.override(self.language):
            text = translation.ngettext(singular, plural, number)
        self._translated(singular, text)
        return text % params if params else text % number

    def number(self, n: int) -> str:
        """A whole number grouped as our scripts write it ("1.600", "1,600")."""
        return f"{n:,}".replace(",", "." if self.language == "nl" else ",")

    def js(self, msgid: str, **params: object) -> str:
        """A text our scripts write, from the JavaScript catalog (the djangojs domain)."""
        text = DjangoTranslation(self.language, domain="djangojs").gettext(msgid)
        self._translated(msgid, text, "djangojs")
        return text % params if params else text

    def js_plural(self, singular: str, plural: str, number: int, **params: object) -> str:
        text = DjangoTranslation(self.language, domain="djangojs").ngettext(singular, plural, number)
        self._translated(singular, text, "djangojs")
        return text % params

    def django(self, msgid: str) -> str:
        """A text of Django's own, whose msgid is English ("New password")."""
        with translation.override(self.language):
            text = translation.gettext(msgid)
        if self.language == settings.LANGUAGE_CODE and text == msgid:
            raise AssertionError(f"no {self.language} translation of Django's msgid {msgid!r}")
        return text

    def date(self, day: dt.date, format: str = "DATE_FORMAT") -> str:
        """A date as the site writes it in this language ("2 maart 2031", "2 March 2031")."""
        with translation.override(self.language):
            return formats.date_format(day, format)

    def _translated(self, msgid: str, text: str, domain: str = "django") -> None:
        # A msgid English spells the same ("Vouchers") is in the catalog all the same.
        if (
            self.language != settings.LANGUAGE_CODE
            and text == msgid
            # gettext cannot tell "translated the same" from "missing"; the merged catalog can.
            and msgid not in DjangoTranslation(self.language, domain=domain)._catalog  # type: ignore[attr-defined]
        ):
            raise AssertionError(f"no {self.language} translation of {msgid!r}: is it typed as in the code?")


def speak(locale: str, *users: User) -> None:
    """The users read the site and their mail in the run's language, as a resident with an English
    phone who registered on it does (User.language)."""
    User.objects.filter(pk__in=[user.pk for user in users]).update(language=language_of(locale))
    for user in users:
        user.language = language_of(locale)


class AxeWalk:
    """axe-core (WCAG 2.1 A and AA, every impact) on every page the journey's tabs land on."""

    def __init__(self, live_server: Any) -> None:
        if not AXE.exists():
            pytest.fail(f"{AXE} is missing: run `npm install` in web/frontend (make setup does)")
        self._source = AXE.read_text()
        self._server = live_server.url
        self.visited: list[str] = []
        self.checked: set[str] = set()

    def follow(self, *pages: Any) -> None:
        """Records each page these tabs land on (main frame only; redirects count as the last one)."""
        for page in pages:
            page.on("framenavigated", lambda frame, page=page: self._landed(page, frame))

    def _landed(self, page: Any, frame: Any) -> None:
        # Only the path is kept here: a Playwright call inside an event handler could race the step
        # the journey takes next.
        if frame == page.main_frame and frame.url.startswith(self._server):
            path = urlsplit(frame.url).path
            if path not in self.visited:
                self.visited.append(path)

    def check(self, page: Any) -> None:
        """axe on the page as it is now: call it once the journey sees the page is there."""
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe === 'object'"):
            # Through the DevTools protocol: a <script> with axe's text would be inline script,
            # which the Content-Security-Policy refuses (docs/security.md).
            page.evaluate(self._source)
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        result = page.evaluate(f"() => axe.run(document, {json.dumps(options)})")
        path = urlsplit(page.url).path
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']][:4]}"
            for v in result["violations"]
        ]
        assert not violations, f"axe on {path}:\n" + "\n".join(violations)
        self.checked.add(path)

    def every_page_checked(self) -> None:
        unchecked = [path for path in self.visited if path not in self.checked]
        assert not unchecked, f"pages the journey landed on without axe: {unchecked}"
        assert self.checked, "axe checked no page"
