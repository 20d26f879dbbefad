"""What the platform's management commands share: their help in the active language."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.functional import Promise


class TranslatedCommand(BaseCommand):
    """A command whose class attribute `help` is a lazy translation (a Dutch msgid, docs/i18n.md).

    Django hands `help` to argparse as the parser's description, and argparse runs `re.sub` on it when
    it prints `--help`, which refuses a lazy string: the parser gets it as a `str`, in the language
    active when the parser is made (for `manage.py`, LANGUAGE_CODE)."""

    # django-stubs type BaseCommand.help as a str; Django reads it only in create_parser, below.
    help: str | Promise = ""  # type: ignore[assignment]

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        if parser.description is not None:
            parser.description = str(parser.description)
        return parser
