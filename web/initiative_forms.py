"""Forms of an initiative's public page and of the regisseur's professionals. They only parse;
the initiatives' and accounts' services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gis_service.core import limits
from gis_service.owners.models import Owner
from web.forms import GroupPageForm, TextField


class HideForm(forms.Form):
    """The regisseur's reason to hide one post; ids per post (id_hide12_reason), as a page lists many."""

    reason = TextField(label=_("Reden om te verbergen"), max_length=limits.MESSAGE, widget=forms.Textarea({"rows": 2}))


class HelpOfferForm(GroupPageForm):
    id_prefix = "help"
    function = TextField(
        label=_("Je functie"), max_length=limits.TITLE, help_text=_("Bijvoorbeeld: groenadviseur of wijkregisseur.")
    )
    offer = TextField(label=_("Wat bied je aan?"), max_length=limits.MESSAGE, widget=forms.Textarea({"rows": 3}))


class ProfessionalForm(forms.Form):
    owner: forms.ModelChoiceField[Owner] = forms.ModelChoiceField(
        label=_("Eigenaar"), queryset=Owner.objects.none(), empty_label=None
    )
    email = forms.EmailField(
        label=_("E-mailadres van het account"),
        help_text=_("De professional maakt eerst zelf een account aan."),
    )

    def __init__(self, *args: Any, owners: QuerySet[Owner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = owners
