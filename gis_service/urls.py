from django.contrib import admin
from django.urls import include, path

from gis_service.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("gis_service.api.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("ogc/", include("ogc.urls")),
    path("", include("web.urls")),
]
