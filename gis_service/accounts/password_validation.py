"""Django's password validators with our own Dutch messages.

Django 6.1's Dutch catalogue misses the minimum-length message (its msgid changed, so a
resident saw "This password is too short...") and speaks to the user as "u"; the site says "je".
The rules themselves are Django's.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return (
            ngettext(
                "Dit wachtwoord is te kort: gebruik minstens %d teken.",
                "Dit wachtwoord is te kort: gebruik minstens %d tekens.",
                self.min_length,
            )
            % self.min_length
        )

    def get_help_text(self) -> str:
        return (
            ngettext(
                "Je wachtwoord heeft minstens %d teken.", "Je wachtwoord heeft minstens %d tekens.", self.min_length
            )
            % self.min_length
        )


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return _("Dit wachtwoord lijkt te veel op je naam of e-mailadres.")

    def get_help_text(self) -> str:
        return _("Je wachtwoord lijkt niet op je naam of e-mailadres.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("Dit wachtwoord wordt te vaak gebruikt; kies er een dat niet makkelijk te raden is.")

    def get_help_text(self) -> str:
        return _("Je wachtwoord is geen veelgebruikt wachtwoord.")
