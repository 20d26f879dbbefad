"""Forms of the web pages. They only parse input; the services decide and write."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from gis_service.contracts.models import Offering, TermsVersion
from gis_service.core import limits
from gis_service.groups.models import AgendaItem, Task

# ISO first: what <input type="date"> posts; the Dutch way for browsers without a date picker.
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TextField(forms.CharField):
    """Free text with its length limit, named in the refusal; line breaks counted as the browser counts them."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        error_messages = {
            "max_length": _("Gebruik hoogstens %(limit_value)d tekens (nu %(show_value)d)."),
            **kwargs.pop("error_messages", {}),
        }
        super().__init__(max_length=max_length, error_messages=error_messages, **kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return limits.normalise_newlines(value) if isinstance(value, str) else value


class DecimalTextField(forms.DecimalField):
    """A number with a fraction as people write it: "1,5", "1.5", "1.250,50", "€ 1.250" (in Dutch).

    A text field with a decimal keyboard, never <input type="number">: Chromium drops the Dutch
    decimal comma from a number field, in any locale, and sent "12,95" as 1295 (an expense a
    hundred times too large, seen on the budget pages) and "1,5" hours as 15. Grouped thousands are
    read as such when unambiguous: before the decimal separator, or in groups of exactly three
    ("1.250" is 1250, "12.50" is 12.50)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(localize=True, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = _ungrouped(value)
        return super().to_python(value)


class MoneyField(DecimalTextField):
    """An amount in euros, in cents."""

    def __init__(self, *, max_digits: int = 10, decimal_places: int = 2, **kwargs: Any) -> None:
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)


def _ungrouped(text: str) -> str:
    """`text` without a euro sign, spaces and the language's thousand separators; its decimal
    separator is left for DecimalField (localize) to read."""
    text = re.sub(r"[\s\u00a0\u202f€]", "", text)
    decimal, thousand = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    if not thousand or thousand == decimal:
        return text
    whole, separator, fraction = text.partition(decimal)
    if separator or re.fullmatch(rf"[+-]?\d{{1,3}}(?:{re.escape(thousand)}\d{{3}})+", whole):
        whole = whole.replace(thousand, "")
    return whole + separator + fraction


def _area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class GroupPageForm(forms.Form):
    """One of the several forms on a group's page: ids of its own (id_news_title, not id_title), so
    no two fields share an id and each label names its own field (WCAG 1.3.1, 4.1.2)."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class NewsForm(GroupPageForm):
    id_prefix = "news"
    title = TextField(label=_("Titel"), max_length=limits.TITLE)
    body = TextField(label=_("Bericht"), max_length=limits.MESSAGE, widget=_area(4))


class ThreadForm(GroupPageForm):
    id_prefix = "thread"
    title = TextField(label=_("Onderwerp"), max_length=limits.TITLE)
    body = TextField(label=_("Bericht"), max_length=limits.MESSAGE, widget=_area(4))


class ReplyForm(forms.Form):
    body = TextField(label=_("Reactie"), max_length=limits.MESSAGE, widget=_area(3))


class AgendaForm(GroupPageForm):
    id_prefix = "agenda"
    title = TextField(label=_("Wat"), max_length=limits.TITLE)
    starts_at = forms.DateTimeField(
        label=_("Wanneer"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = TextField(label=_("Waar"), max_length=limits.TITLE, required=False)
    description = TextField(label=_("Toelichting"), max_length=limits.MESSAGE, required=False, widget=_area(2))


class TaskForm(GroupPageForm):
    id_prefix = "task"
    title = TextField(label=_("Taak"), max_length=limits.TITLE)
    description = TextField(label=_("Toelichting"), max_length=limits.MESSAGE, required=False, widget=_area(2))
    due_on = forms.DateField(label=_("Uiterlijk op"), required=False, widget=DateInput())
    # The combination (an interval needs a unit and a first date) is checked by groups.services.task_add.
    repeat_every = forms.IntegerField(label=_("Herhaal elke"), required=False, min_value=1, max_value=366)
    repeat_unit = forms.ChoiceField(
        label=_("Eenheid"),
        required=False,
        choices=[("", _("niet herhalen")), ("dagen", _("dagen")), ("weken", _("weken"))],
    )


class HoursForm(forms.Form):
    """Hours a member gave; the task and work day lists hold only the group's own."""

    worked_on = forms.DateField(label=_("Datum"), widget=DateInput())
    hours = DecimalTextField(
        label=_("Uren"), min_value=Decimal("0.25"), max_value=Decimal(24), decimal_places=2, max_digits=4
    )
    task: forms.ModelChoiceField[Task] = forms.ModelChoiceField(
        label=_("Bij taak"), required=False, queryset=None, empty_label=_("geen")
    )
    agenda_item: forms.ModelChoiceField[AgendaItem] = forms.ModelChoiceField(
        label=_("Bij werkdag"), required=False, queryset=None, empty_label=_("geen")
    )
    note = TextField(label=_("Wat heb je gedaan?"), max_length=limits.TITLE, required=False)

    def __init__(self, *args: Any, group: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Not sliced: the field looks the chosen one up in this queryset, and a slice cannot be filtered.
        year_ago = timezone.now() - timedelta(days=366)
        tasks = group.tasks.filter(created_at__gte=year_ago).order_by("-created_at")
        days = group.agenda.filter(starts_at__gte=year_ago, starts_at__lte=timezone.now()).order_by("-starts_at")
        cast(forms.ModelChoiceField, self.fields["task"]).queryset = tasks
        cast(forms.ModelChoiceField, self.fields["agenda_item"]).queryset = days


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field taking several files (Django's own takes one)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


class StatusUpdateForm(GroupPageForm):
    id_prefix = "update"
    body = TextField(label=_("Hoe gaat het?"), max_length=limits.MESSAGE, required=False, widget=_area(3))
    # Checked by content in the service (groups.photos); `accept` only helps the phone's picker.
    photos = MultipleFileField(label=_("Foto's"), required=False)
    # A before/after pair shows what the work changed; the group page puts them side by side.
    before = MultipleFileField(label=_("Foto vóór het werk"), required=False)
    after = MultipleFileField(label=_("Foto na het werk"), required=False)


class SignupForm(forms.Form):
    """Sign up as manager: the terms version shown is posted back, so a change in between is caught."""

    terms_version = forms.ModelChoiceField(
        queryset=TermsVersion.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Deze versie van de voorwaarden bestaat niet.")},
    )
    plan = TextField(
        label=_("Wat wil je hier doen?"),
        max_length=limits.MESSAGE,
        widget=_area(5),
        help_text=_("Bijvoorbeeld: planten, onderhoud, een picknickbank. De regisseur leest dit."),
        error_messages={"required": _("Vertel wat je op deze plek wilt doen.")},
    )
    accept_terms = forms.BooleanField(
        label=_("Ik ga akkoord met de voorwaarden hierboven"),
        required=True,
        error_messages={"required": _("Vink aan dat je akkoord gaat met de voorwaarden.")},
    )

    def __init__(self, *args: Any, offering_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the versions of this location's offering can be posted; which of them may be
        # accepted (the current one) is the service's to say.
        field = cast(forms.ModelChoiceField, self.fields["terms_version"])
        field.queryset = TermsVersion.objects.filter(offering_id=offering_id)


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Puts a service's refusal beside the fields it names, and what concerns no field above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class OfferingForm(forms.Form):
    """What an owner offers with a location; offering_create / offering_update check and write it."""

    conditions = TextField(
        label=_("Randvoorwaarden"),
        max_length=limits.TERMS,
        widget=_area(5),
        help_text=_("Bijvoorbeeld: geen chemische middelen, de bomen blijven van de eigenaar."),
    )
    offered_from = forms.DateField(
        label=_("Aangeboden vanaf"), required=False, input_formats=DATE_FORMATS, widget=DateInput
    )
    offered_until = forms.DateField(
        label=_("Aangeboden tot en met"), required=False, input_formats=DATE_FORMATS, widget=DateInput
    )
    budget_eur = MoneyField(
        label=_("Budget (€)"),
        required=False,
        min_value=Decimal(0),
        help_text=_("Bijvoorbeeld 250,00. Leeg laten als er geen budget is."),
    )
    reward = TextField(label=_("Beloning"), max_length=limits.REWARD, required=False)
    support = forms.MultipleChoiceField(
        label=_("Ondersteuning"),
        choices=Offering.Support.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    support_notes = TextField(
        label=_("Toelichting op de ondersteuning"), max_length=limits.MESSAGE, required=False, widget=_area(3)
    )
    managers_needed = forms.IntegerField(label=_("Aantal beheerders nodig"), min_value=1, initial=3)
    contract_months = forms.IntegerField(label=_("Looptijd van het contract (maanden)"), min_value=1, initial=12)

    @classmethod
    def initial_for(cls, offering: Offering) -> dict[str, Any]:
        return {name: getattr(offering, name) for name in cls.base_fields}


class OfferingCreateForm(OfferingForm):
    terms_text = TextField(
        label=_("Contractvoorwaarden"),
        max_length=limits.TERMS,
        widget=_area(10),
        help_text=_("De tekst die beheerders lezen en accepteren: versie 1 van de voorwaarden."),
    )


class TermsPublishForm(forms.Form):
    text = TextField(
        label=_("Tekst van de nieuwe voorwaarden"),
        max_length=limits.TERMS,
        widget=_area(12),
        help_text=_("Beheerders van lopende en wachtende contracten krijgen een e-mail om opnieuw akkoord te gaan."),
    )


class OfferingStopForm(forms.Form):
    reason = TextField(
        label=_("Reden"),
        max_length=limits.MESSAGE,
        required=False,
        widget=_area(3),
        help_text=_("Wie zich al aanmeldde, krijgt deze reden per e-mail."),
        # Required only while sign-ups wait (the view says so); then this is why.
        error_messages={"required": _("Geef een reden: de aangemelde beheerders krijgen die per e-mail.")},
    )


class ContractRenewForm(forms.Form):
    ends_on = forms.DateField(label=_("Nieuwe einddatum"), input_formats=DATE_FORMATS, widget=DateInput)


class ContractEndForm(forms.Form):
    reason = TextField(
        label=_("Reden van beëindigen"),
        max_length=limits.MESSAGE,
        widget=_area(3),
        help_text=_("De beheerders en de regisseur krijgen deze reden per e-mail."),
        error_messages={"required": _("Geef een reden voor het beëindigen.")},
    )


class GroundResolveForm(forms.Form):
    """What the regisseur does about ground that changed under a contract."""

    TAKE, END, KEEP = "take", "end", "keep"
    resolution = forms.ChoiceField(
        choices=[
            (TAKE, _("Nieuwe vorm overnemen in het contract")),
            (END, _("Contract beëindigen")),
            (KEEP, _("Contract houden zoals het is")),
        ]
    )
    reason = TextField(label=_("Reden van beëindigen"), max_length=limits.MESSAGE, required=False, widget=_area(2))


class MapFilterForm(forms.Form):
    """The map's filters, from the query string (`?type=gras&status=beschikbaar&owner=hilversum`)."""

    q = forms.CharField(label=_("Zoek op naam of soort"), required=False, max_length=100, strip=True)
    type = forms.ChoiceField(label=_("Soort"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    owner = forms.ChoiceField(label=_("Eigenaar"), required=False)

    def __init__(self, *args: Any, types: list[str], owners: list[tuple[str, str]], **kwargs: Any) -> None:
        from gis_service.locations.models import Location

        super().__init__(*args, **kwargs)
        every: list[tuple[str, Any]] = [("", _("alle"))]
        cast(forms.ChoiceField, self.fields["type"]).choices = every + [(t, t) for t in types]
        cast(forms.ChoiceField, self.fields["status"]).choices = every + list(Location.Status.choices)
        cast(forms.ChoiceField, self.fields["owner"]).choices = every + owners
