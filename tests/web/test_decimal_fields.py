"""Every field of our forms that takes a number with a fraction reads it as a Dutch resident types it.

Chromium drops the decimal comma from an <input type="number"> in any locale: "12,95" euros arrived as
1295 and "1,5" hours as 15, booked without a word. Such fields are DecimalTextField (web/forms.py), a
text field with a decimal keyboard, read with the page's language's separators."""

from __future__ import annotations

import importlib
import inspect
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from web.forms import DecimalTextField

FORM_MODULES = ("web.forms", "web.support_forms", "web.budget_forms", "web.initiative_forms", "web.views.value")


def decimal_fields() -> list[tuple[str, forms.DecimalField]]:
    found = []
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for form_name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module_name:
                for field_name, field in form.base_fields.items():
                    if isinstance(field, forms.DecimalField):
                        found.append((f"{module_name}.{form_name}.{field_name}", field))
    return found


def test_the_forms_have_decimal_fields_to_check() -> None:
    names = [name for name, _ in decimal_fields()]
    assert "web.forms.HoursForm.hours" in names
    assert "web.support_forms.ApplyForm.price_eur" in names


@pytest.mark.parametrize(("name", "field"), decimal_fields(), ids=[name for name, _ in decimal_fields()])
def test_a_decimal_field_is_no_number_input_and_reads_a_dutch_comma(name: str, field: forms.DecimalField) -> None:
    assert isinstance(field, DecimalTextField), f"{name} is a plain DecimalField: use DecimalTextField or MoneyField"
    assert field.widget.input_type == "text", name
    assert field.widget.attrs.get("inputmode") == "decimal", name
    with translation.override("nl"):
        assert field.clean("1,5") == Decimal("1.5"), name
    with translation.override("en"):
        assert field.clean("1.5") == Decimal("1.5"), name
