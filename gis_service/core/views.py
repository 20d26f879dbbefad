from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gis_service.core import health
from gis_service.core.clients import from_this_machine


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with each service's state when all are fine, 503 otherwise (for load balancers)."""
    checks = health.run_all()
    ok = all(check.ok for check in checks)
    # Versions, hosts and error texts help an operator and an attacker alike: only a request from
    # this machine gets them (behind a proxy, NUM_PROXIES says who the client is); a load balancer
    # elsewhere needs the states alone.
    detailed = from_this_machine(request)
    body = {
        "status": "ok" if ok else "unavailable",
        **{check.name: {"ok": check.ok, **({"detail": check.detail} if detailed else {})} for check in checks},
    }
    return JsonResponse(body, status=200 if ok else 503)
