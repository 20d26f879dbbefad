"""The REST API under /api/: one router over the apps' viewsets, the OpenAPI document and its docs."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from gis_service.api.docs import DocsView, SchemaView
from gis_service.budgets.api import ExpenseViewSet, GrantViewSet
from gis_service.contracts.api import (
    ContractViewSet,
    LocationViewSet,
    OverlapCheckView,
    SignupViewSet,
    TermsVersionViewSet,
)
from gis_service.groups.api import (
    AgendaItemViewSet,
    CalendarKeyRotateView,
    CalendarKeyView,
    ForumPostViewSet,
    ForumThreadViewSet,
    GroupViewSet,
    HourEntryViewSet,
    NewsPostViewSet,
    StatusUpdateViewSet,
    TaskViewSet,
    UnsubscribeView,
)
from gis_service.initiatives.api import HelpOfferViewSet, InitiativePostViewSet, InitiativeViewSet
from gis_service.support.api import SupporterViewSet, SupportRequestViewSet, VoucherViewSet

app_name = "api"

router = DefaultRouter()
router.register("locations", LocationViewSet, basename="location")
router.register("terms", TermsVersionViewSet, basename="terms")
router.register("signups", SignupViewSet, basename="signup")
router.register("contracts", ContractViewSet, basename="contract")
router.register("initiatives", InitiativeViewSet, basename="initiative")
router.register("initiative-posts", InitiativePostViewSet, basename="initiative-post")
router.register("help-offers", HelpOfferViewSet, basename="help-offer")
router.register("supporters", SupporterViewSet, basename="supporter")
router.register("support-requests", SupportRequestViewSet, basename="support-request")
router.register("vouchers", VoucherViewSet, basename="voucher")
router.register("grants", GrantViewSet, basename="grant")
router.register("expenses", ExpenseViewSet, basename="expense")
router.register("groups", GroupViewSet, basename="group")
router.register("news", NewsPostViewSet, basename="news-post")
router.register("forum-threads", ForumThreadViewSet, basename="forum-thread")
router.register("forum-posts", ForumPostViewSet, basename="forum-post")
router.register("agenda", AgendaItemViewSet, basename="agenda-item")
router.register("tasks", TaskViewSet, basename="task")
router.register("hours", HourEntryViewSet, basename="hour-entry")
router.register("status-updates", StatusUpdateViewSet, basename="status-update")

urlpatterns = [
    path("overlap-check/", OverlapCheckView.as_view(), name="overlap-check"),
    path("unsubscribe/", UnsubscribeView.as_view(), name="unsubscribe"),
    path("calendar-key/", CalendarKeyView.as_view(), name="calendar-key"),
    path("calendar-key/rotate/", CalendarKeyRotateView.as_view(), name="calendar-key-rotate"),
    path("schema/", SchemaView.as_view(), name="schema"),
    # The split view serves its start-up script as a file (/api/docs/?script) and our template
    # its page style as one: the Content-Security-Policy allows no inline script or style.
    path(
        "docs/",
        DocsView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    *router.urls,
]
