"""Turns the services' errors into REST answers, so views stay one call long."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from gis_service.geo.areas import AreaError


def validation_detail(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return {field: [str(message) for message in messages] for field, messages in exc.message_dict.items()}
    return {"non_field_errors": exc.messages}


# What services and input serializers refuse input with; each answers 400 with refusal_detail().
REFUSALS = (AreaError, DjangoValidationError, exceptions.ValidationError)


def refusal_detail(exc: AreaError | DjangoValidationError | exceptions.ValidationError) -> Any:
    """The body of the 400 for a refusal: the fields it concerns and, for an area, what and where."""
    if isinstance(exc, AreaError):
        return exc.as_dict()
    if isinstance(exc, DjangoValidationError):
        return validation_detail(exc)
    return exc.detail


class ServiceErrorsMixin:
    """Django ValidationError → 400 with the field it concerns; AreaError → 400 with what and where."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, AreaError):
            return Response(refusal_detail(exc), status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, DjangoValidationError):
            exc = exceptions.ValidationError(refusal_detail(exc))
        return APIView.handle_exception(self, exc)  # type: ignore[arg-type]


def too_large_detail() -> dict[str, Any]:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return {"detail": _("Het verzoek is te groot; maximaal %(limit)d MB.") % {"limit": limit}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus a JSON 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE (Django answered
    with its HTML 400 page)."""
    if isinstance(exc, RequestDataTooBig):
        return Response(too_large_detail(), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    return drf_exception_handler(exc, context)
