from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gis_service.core import health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with each service's state when all are fine, 503 otherwise (for load balancers)."""
    checks = health.run_all()
    ok = all(check.ok for check in checks)
    body = {
        "status": "ok" if ok else "unavailable",
        **{check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    }
    return JsonResponse(body, status=200 if ok else 503)
