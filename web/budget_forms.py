"""Forms of the budget pages. They only parse; the budget services decide (and check the receipt)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gis_service.core import limits
from gis_service.groups.models import Group
from web.forms import DateInput, MoneyField, TextField


class GrantForm(forms.Form):
    group: forms.ModelChoiceField[Group] = forms.ModelChoiceField(
        label=_("Groep"), queryset=Group.objects.none(), empty_label=None
    )
    amount = MoneyField(label=_("Bedrag (€)"), min_value=Decimal("0.01"))
    purpose = TextField(label=_("Doel"), max_length=limits.TITLE)
    starts_on = forms.DateField(label=_("Van"), widget=DateInput())
    ends_on = forms.DateField(label=_("Tot en met"), widget=DateInput())

    def __init__(self, *args: Any, groups: QuerySet[Group], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = groups


class ExpenseForm(forms.Form):
    spent_on = forms.DateField(label=_("Datum"), widget=DateInput())
    amount = MoneyField(label=_("Bedrag (€)"), min_value=Decimal("0.01"))
    description = TextField(label=_("Omschrijving"), max_length=limits.TITLE)
    receipt = forms.FileField(
        label=_("Bon (foto of PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )


class DecisionForm(forms.Form):
    reason = TextField(
        label=_("Reden (bij terugsturen)"), max_length=limits.MESSAGE, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class ReverseForm(forms.Form):
    reason = TextField(label=_("Waarom herstellen"), max_length=limits.TITLE - 20)
