"""Forms of the group page. They only parse input; the services decide and write."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from gis_service.contracts.models import TermsVersion


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
