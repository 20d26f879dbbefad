"""Our serializers declare their geometry fields: rest_framework_gis's app, which maps GeoDjango fields
for ModelSerializer at start-up, is not installed (gis_service/settings.py says why). A geometry field
left to DRF's own mapping would come out as the model field's string."""

from django.contrib.gis.db import models as gis_models
from django.db import models
from rest_framework import serializers

import gis_service.urls  # noqa: F401  (loads every API module, hence every serializer)


def geometry_fields_left_to_mapping(serializer: type[serializers.ModelSerializer]) -> list[str]:  # type: ignore[type-arg]
    """Names of the model's geometry fields the serializer lists without declaring them."""
    meta = serializer.Meta
    model_fields = {field.name: field for field in meta.model._meta.get_fields() if isinstance(field, models.Field)}
    listed = getattr(meta, "fields", None)
    if listed in (None, serializers.ALL_FIELDS):
        listed = [name for name in model_fields if name not in getattr(meta, "exclude", ())]
    return [
        name
        for name in listed
        if name not in serializer._declared_fields and isinstance(model_fields.get(name), gis_models.GeometryField)
    ]


def our_model_serializers() -> list[type[serializers.ModelSerializer]]:  # type: ignore[type-arg]
    found, todo = [], [serializers.ModelSerializer]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.startswith("gis_service.") and hasattr(subclass, "Meta"):
                found.append(subclass)
    return found


def test_every_model_serializer_declares_its_geometry_fields() -> None:
    serializers_found = our_model_serializers()
    assert len(serializers_found) > 15  # the API's modules were loaded
    assert {
        f"{serializer.__module__}.{serializer.__qualname__}": geometry_fields_left_to_mapping(serializer)
        for serializer in serializers_found
        if geometry_fields_left_to_mapping(serializer)
    } == {}


def test_an_undeclared_geometry_field_is_found() -> None:
    from gis_service.locations.models import Location

    class Undeclared(serializers.ModelSerializer):  # type: ignore[type-arg]
        class Meta:
            model = Location
            fields = ["id", "geometry"]

    class AllFields(serializers.ModelSerializer):  # type: ignore[type-arg]
        class Meta:
            model = Location
            fields = "__all__"

    assert geometry_fields_left_to_mapping(Undeclared) == ["geometry"]
    assert "geometry" in geometry_fields_left_to_mapping(AllFields)
