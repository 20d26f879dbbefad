"""Forms of the web pages. They only parse input; the services decide and write."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gis_service.contracts.models import Offering, TermsVersion
from gis_service.groups.models import AgendaItem, Task

# ISO first: what <input type="date"> posts; the Dutch way for browsers without a date picker.
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class NewsForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=200)
    body = forms.CharField(label="Bericht", widget=forms.Textarea(attrs={"rows": 4}))


class ThreadForm(forms.Form):
    title = forms.CharField(label="Onderwerp", max_length=200)
    body = forms.CharField(label="Bericht", widget=forms.Textarea(attrs={"rows": 4}))


class ReplyForm(forms.Form):
    body = forms.CharField(label="Reactie", widget=forms.Textarea(attrs={"rows": 3}))


class AgendaForm(forms.Form):
    title = forms.CharField(label="Wat", max_length=200)
    starts_at = forms.DateTimeField(
        label="Wanneer", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label="Waar", max_length=200, required=False)
    description = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TaskForm(forms.Form):
    title = forms.CharField(label="Taak", max_length=200)
    description = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2}))
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
    hours = forms.DecimalField(
        label=_("Uren"), min_value=Decimal("0.25"), max_value=Decimal(24), decimal_places=2, max_digits=4,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
    )  # fmt: skip
    task: forms.ModelChoiceField[Task] = forms.ModelChoiceField(
        label=_("Bij taak"), required=False, queryset=None, empty_label=_("geen")
    )
    agenda_item: forms.ModelChoiceField[AgendaItem] = forms.ModelChoiceField(
        label=_("Bij werkdag"), required=False, queryset=None, empty_label=_("geen")
    )
    note = forms.CharField(label=_("Wat heb je gedaan?"), max_length=200, required=False)

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


class StatusUpdateForm(forms.Form):
    body = forms.CharField(label="Hoe gaat het?", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # Checked by content in the service (groups.photos); `accept` only helps the phone's picker.
    photos = MultipleFileField(label="Foto's", required=False)


class SignupForm(forms.Form):
    """Sign up as manager: the terms version shown is posted back, so a change in between is caught."""

    terms_version = forms.ModelChoiceField(
        queryset=TermsVersion.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Deze versie van de voorwaarden bestaat niet."},
    )
    plan = forms.CharField(
        label="Wat wil je hier doen?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Bijvoorbeeld: planten, onderhoud, een picknickbank. De regisseur leest dit.",
    )
    accept_terms = forms.BooleanField(label="Ik ga akkoord met de voorwaarden hierboven", required=True)

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

    conditions = forms.CharField(
        label=_("Randvoorwaarden"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Bijvoorbeeld: geen chemische middelen, bomen blijven van de gemeente."),
    )
    offered_from = forms.DateField(
        label=_("Aangeboden vanaf"), required=False, input_formats=DATE_FORMATS, widget=DateInput
    )
    offered_until = forms.DateField(
        label=_("Aangeboden tot en met"), required=False, input_formats=DATE_FORMATS, widget=DateInput
    )
    budget_eur = forms.DecimalField(
        label=_("Budget (€)"),
        required=False,
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Bijvoorbeeld 250,00. Leeg laten als er geen budget is."),
    )
    reward = forms.CharField(label=_("Beloning"), max_length=255, required=False)
    support = forms.MultipleChoiceField(
        label=_("Ondersteuning"),
        choices=Offering.Support.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    support_notes = forms.CharField(
        label=_("Toelichting op de ondersteuning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    managers_needed = forms.IntegerField(label=_("Aantal beheerders nodig"), min_value=1, initial=3)
    contract_months = forms.IntegerField(label=_("Looptijd van het contract (maanden)"), min_value=1, initial=12)

    @classmethod
    def initial_for(cls, offering: Offering) -> dict[str, Any]:
        return {name: getattr(offering, name) for name in cls.base_fields}


class OfferingCreateForm(OfferingForm):
    terms_text = forms.CharField(
        label=_("Contractvoorwaarden"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("De tekst die beheerders lezen en accepteren: versie 1 van de voorwaarden."),
    )


class TermsPublishForm(forms.Form):
    text = forms.CharField(
        label=_("Tekst van de nieuwe voorwaarden"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Beheerders van lopende en wachtende contracten krijgen een e-mail om opnieuw akkoord te gaan."),
    )


class OfferingStopForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wie zich al aanmeldde, krijgt deze reden per e-mail."),
        # Required only while sign-ups wait (the view says so); then this is why.
        error_messages={"required": _("Geef een reden: de aangemelde beheerders krijgen die per e-mail.")},
    )


class ContractRenewForm(forms.Form):
    ends_on = forms.DateField(label=_("Nieuwe einddatum"), input_formats=DATE_FORMATS, widget=DateInput)


class ContractEndForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van beëindigen"),
        widget=forms.Textarea(attrs={"rows": 3}),
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
    reason = forms.CharField(label=_("Reden van beëindigen"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


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
