from django.contrib import admin
from django.contrib.auth.views import LoginView, PasswordResetView
from django.urls import include, path
from django.utils.translation import gettext_lazy

from gis_service.accounts.forms import LimitedPasswordResetForm, LoginForm
from gis_service.core.views import healthz
from ogc.views import landing_page as ogc_landing_page
from web.views.language import language_set

# Every app's admin.py, loaded here rather than at start-up (gis_service/core/admin_apps.py).
admin.autodiscover()
# The admin is where GIS admins sync their sources and staff keep the platform: named as the site,
# not "Django-beheer" (a GIS admin took it for another product).
admin.site.site_header = gettext_lazy("Zelfbeheer: beheer")
admin.site.site_title = gettext_lazy("Zelfbeheer")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("gis_service.api.urls")),
    # Before Django's own: the same views with our forms (log-in by e-mail address; limited reset mails).
    path("accounts/login/", LoginView.as_view(form_class=LoginForm), name="login"),
    path(
        "accounts/password_reset/",
        PasswordResetView.as_view(form_class=LimitedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # Django's set_language (the cookie), which also remembers a logged-in user's choice in their profile.
    path("i18n/setlang/", language_set, name="set_language"),
    # QGIS asks for the URL exactly as typed and does not follow the redirect to /ogc/.
    path("ogc", ogc_landing_page),
    path("ogc/", include("ogc.urls")),
    path("", include("web.urls")),
]
