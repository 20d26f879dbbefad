"""Errors the feed answers with: provider errors pygeoapi turns into OGC exception documents with these
HTTP statuses, and pygeoapi's own refusal texts in the request's language (`translated`)."""

from http import HTTPStatus

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pygeoapi.provider.base import ProviderGenericError, ProviderInvalidQueryError

from gis_service.geo import crs


class ProviderBadRequestError(ProviderInvalidQueryError):
    """The request cannot be answered as asked: 400."""

    ogc_exception_code = "InvalidParameterValue"


class ProviderForbiddenError(ProviderGenericError):
    """The authenticated user may not change this item: 403."""

    ogc_exception_code = "Forbidden"
    http_status_code = HTTPStatus.FORBIDDEN
    default_msg = _("Dit mag je niet.")


class ProviderConflictError(ProviderGenericError):
    """The change would break something that rests on the item: 409."""

    ogc_exception_code = "Conflict"
    http_status_code = HTTPStatus.CONFLICT
    default_msg = _("Deze wijziging botst met wat er al is.")


class ProviderTimeoutError(ProviderGenericError):
    """PostgreSQL cancelled the query at the request's statement_timeout (gis_service/core/timeouts.py): 503."""

    ogc_exception_code = "ServiceUnavailable"
    http_status_code = HTTPStatus.SERVICE_UNAVAILABLE
    default_msg = _("De vraag kostte de database te veel tijd en is afgebroken.")


# pygeoapi's refusal texts that reach our clients, keyed on its exact text (pygeoapi 0.24), in the
# request's language. Parameters whose pygeoapi text carries a value (crs, bbox) are checked before
# pygeoapi sees them (ogc.views, ogc.providers) instead. tests/ogc/test_error_language.py asks for
# each of these, so a text pygeoapi changes comes out untranslated there and fails the test.
PYGEOAPI_TEXTS: dict[str, Promise] = {
    "Collection not found": _("Deze collectie bestaat niet; zie /collections voor de collecties die er zijn."),
    "Invalid format requested": _("Dit formaat (f) wordt hier niet aangeboden; gebruik bijvoorbeeld f=json of f=html."),
    "limit value should be an integer": _("limit moet een geheel getal van 1 of meer zijn."),
    "limit value should be strictly positive": _("limit moet een geheel getal van 1 of meer zijn."),
    "offset value should be an integer": _("offset moet een geheel getal van 0 of meer zijn."),
    "offset value should be positive or zero": _("offset moet een geheel getal van 0 of meer zijn."),
    "bad sortby property": _(
        "sortby noemt een eigenschap die deze collectie niet heeft; sorteer op eigenschappen uit de "
        "queryables, met - ervoor voor aflopend."
    ),
    "unknown properties specified": _(
        "properties noemt een eigenschap die deze collectie niet heeft; kies eigenschappen uit de queryables."
    ),
    "Collection is not editable": _("Deze collectie kun je niet bewerken; alleen locations kan dat."),
    "No data found": _("Stuur een GeoJSON-Feature in de body."),
    "could not find this tilematrixset": _(
        "Deze tile matrix set bestaat niet; zie /TileMatrixSets voor de sets die er zijn."
    ),
}


def translated(description: object) -> str:
    """A refusal's text in the active language: pygeoapi's own texts through PYGEOAPI_TEXTS, ours
    (translated when they were made, or lazily) as they are."""
    text = str(description)
    known = PYGEOAPI_TEXTS.get(text)
    return str(known) if known is not None else text


def unsupported_crs(parameter: str, value: object) -> str:
    """The refusal of a CRS we do not serve, named by `parameter` (crs, bbox-crs, filter-crs, Content-Crs)."""
    return gettext("%(parameter)s %(value)s wordt niet ondersteund; gebruik een van %(supported)s.") % {
        "parameter": parameter,
        "value": value,
        "supported": ", ".join(crs.supported()),
    }


def unknown_property(name: str, parameter: str | None = None) -> str:
    """The refusal of a property a collection does not publish, named in `parameter` (sortby, properties)."""
    if parameter is None:
        return gettext("Onbekende eigenschap %(name)r; zie de queryables van de collectie.") % {"name": name}
    return gettext("Onbekende eigenschap %(name)r in %(parameter)s; zie de queryables van de collectie.") % {
        "name": name,
        "parameter": parameter,
    }
