"""Forms of the support pages (self-chosen support). They only parse; the support services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gis_service.core import limits
from gis_service.groups.models import Group
from gis_service.owners.models import Owner
from gis_service.support.models import PriceKind, Supporter, SupporterKind, SupportKind, Unit
from web.forms import DateInput, DecimalTextField, MoneyField, TextField


class SupporterSelect(forms.Select):
    """Each supporter's option says what they offer (`data-offers`), so the page's script offers
    under "Wat" only that (web/static/web/support_ask.js); the service still refuses anything else."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        supporter = getattr(option["value"], "instance", None)
        if isinstance(supporter, Supporter):
            option["attrs"]["data-offers"] = " ".join(supporter.offers)
        return option


class AskForm(forms.Form):
    supporter: forms.ModelChoiceField[Supporter] = forms.ModelChoiceField(
        label=_("Wie"), queryset=Supporter.objects.none(), empty_label=None, widget=SupporterSelect
    )
    kind = forms.ChoiceField(label=_("Wat"), choices=SupportKind.choices)
    wanted_on = forms.DateField(label=_("Wanneer"), widget=DateInput())
    message = TextField(label=_("Bericht"), max_length=limits.MESSAGE, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, supporters: QuerySet[Supporter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["supporter"]).queryset = supporters


class AnswerForm(forms.Form):
    answer = TextField(
        label=_("Antwoord (optioneel)"), max_length=limits.MESSAGE, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class SpendForm(forms.Form):
    """A number of vouchers, or else from the budget: hours × price, or the price of the job."""

    vouchers = forms.IntegerField(label=_("Vouchers"), min_value=1, required=False)
    hours = DecimalTextField(label=_("Uren"), min_value=Decimal("0.25"), max_digits=6, decimal_places=2, required=False)


class SupporterCardForm(forms.Form):
    """What a supporter's card in the pool says, as a regisseur makes it (SupporterForm) or someone
    applies with (ApplyForm); each adds the owner and the name, placed first."""

    organisation = TextField(label=_("Organisatie"), max_length=limits.TITLE, required=False)
    kind = forms.ChoiceField(label=_("Soort"), choices=SupporterKind.choices)
    offers = forms.MultipleChoiceField(
        label=_("Aanbod"), choices=SupportKind.choices, widget=forms.CheckboxSelectMultiple
    )
    price_kind = forms.ChoiceField(label=_("Prijs"), choices=PriceKind.choices)
    price_eur = MoneyField(label=_("Bedrag (€)"), required=False, min_value=Decimal("0.01"), max_digits=8)
    description = TextField(
        label=_("Toelichting"), max_length=limits.MESSAGE, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, owners: QuerySet[Owner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = owners


class SupporterForm(SupporterCardForm):
    field_order = ["owner", "email", "name"]

    owner: forms.ModelChoiceField[Owner] = forms.ModelChoiceField(
        label=_("Voor eigenaar"), queryset=Owner.objects.none(), empty_label=None
    )
    email = forms.EmailField(
        label=_("E-mailadres van het account"),
        help_text=_("De ondersteuner maakt eerst zelf een account aan; het adres blijft binnen het platform."),
    )
    name = TextField(label=_("Naam"), max_length=limits.TITLE)


class AllowForm(forms.Form):
    owner: forms.ModelChoiceField[Owner] = forms.ModelChoiceField(
        label=_("Eigenaar"), queryset=Owner.objects.none(), empty_label=None
    )
    supporter: forms.ModelChoiceField[Supporter] = forms.ModelChoiceField(
        label=_("Ondersteuner"), queryset=Supporter.objects.filter(is_active=True)
    )

    def __init__(self, *args: Any, owners: QuerySet[Owner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = owners


class IssueForm(forms.Form):
    group: forms.ModelChoiceField[Group] = forms.ModelChoiceField(
        label=_("Groep"), queryset=Group.objects.none(), empty_label=None
    )
    unit = forms.ChoiceField(label=_("Soort"), choices=Unit.choices)
    amount = DecimalTextField(label=_("Aantal of bedrag"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2)
    note = TextField(label=_("Omschrijving"), max_length=limits.TITLE, required=False)

    def __init__(self, *args: Any, groups: QuerySet[Group], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = groups


class ApplyForm(SupporterCardForm):
    """Someone's own application to join the pool: the card they would have, and the owner asked."""

    field_order = ["owner", "name"]

    owner: forms.ModelChoiceField[Owner] = forms.ModelChoiceField(
        label=_("Bij welke eigenaar"),
        queryset=Owner.objects.none(),
        empty_label=None,
        help_text=_("De gemeente of corporatie op wier grond je wilt helpen; haar regisseur beslist."),
    )
    name = TextField(label=_("Naam op je kaartje"), max_length=limits.TITLE)


class DecideApplicationForm(forms.Form):
    reason = TextField(
        label=_("Toelichting voor de aanmelder (optioneel)"), max_length=limits.MESSAGE, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
