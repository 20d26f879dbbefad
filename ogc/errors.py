"""Provider errors pygeoapi turns into OGC exception documents with these HTTP statuses."""

from http import HTTPStatus

from pygeoapi.provider.base import ProviderGenericError, ProviderInvalidQueryError


class ProviderBadRequestError(ProviderInvalidQueryError):
    """The request cannot be answered as asked: 400."""

    ogc_exception_code = "InvalidParameterValue"


class ProviderForbiddenError(ProviderGenericError):
    """The authenticated user may not change this item: 403."""

    ogc_exception_code = "Forbidden"
    http_status_code = HTTPStatus.FORBIDDEN
    default_msg = "not allowed"


class ProviderConflictError(ProviderGenericError):
    """The change would break something that rests on the item: 409."""

    ogc_exception_code = "Conflict"
    http_status_code = HTTPStatus.CONFLICT
    default_msg = "conflict"


class ProviderTimeoutError(ProviderGenericError):
    """PostgreSQL cancelled the query at the request's statement_timeout (gis_service/core/timeouts.py): 503."""

    ogc_exception_code = "ServiceUnavailable"
    http_status_code = HTTPStatus.SERVICE_UNAVAILABLE
    default_msg = "the query took too long"
