from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog

from web.views import (
    accounts,
    budgets,
    contracts,
    groups,
    initiatives,
    locations,
    mine,
    offering,
    regisseur,
    support,
    value,
)

app_name = "web"
urlpatterns = [
    path("", locations.map_page, name="map"),
    # The texts of our scripts (web/locale/*/djangojs.po) as a script file: the Content-Security-
    # Policy allows no inline script. Loaded by base.html before the page's own scripts, with the
    # page's language in the URL (?taal=), so a browser keeps one per language for an hour.
    path(
        "jsi18n/",
        cache_control(max_age=3600)(JavaScriptCatalog.as_view(packages=["web"])),
        name="javascript-catalog",
    ),
    path("kaart/lijst/", locations.map_list_in_view, name="map-list"),
    path("kaart/adres/", locations.address_search, name="map-address"),
    path("locaties/<int:location_id>/", locations.location_page, name="location"),
    path("locaties/<int:location_id>/aanmelden/", contracts.location_signup, name="signup"),
    path("locaties/<int:location_id>/afmelden/", contracts.location_withdraw, name="withdraw"),
    path("locaties/<int:location_id>/voorwaarden/", contracts.location_terms, name="terms"),
    path("locaties/<int:location_id>/aanbieden/", offering.offering_new, name="offering-new"),
    path("locaties/<int:location_id>/aanbod/", offering.offering_edit, name="offering-edit"),
    path("locaties/<int:location_id>/aanbod/voorwaarden/", offering.offering_terms, name="offering-terms"),
    path("locaties/<int:location_id>/aanbod/stoppen/", offering.offering_stop_page, name="offering-stop"),
    path("locaties/<int:location_id>/aanbod/hervatten/", offering.offering_resume_view, name="offering-resume"),
    path("locaties/<int:location_id>/bord.svg", locations.marker_svg, name="marker-svg"),
    path("locaties/<int:location_id>/bord/", locations.marker_page, name="marker"),
    path("locaties/<int:location_id>/bord-<str:paper>.pdf", locations.marker_pdf, name="marker-pdf"),
    path("locaties/<int:location_id>/bord.png", locations.marker_png, name="marker-png"),
    path("locaties/<int:location_id>/kaartje.png", locations.location_image, name="location-image"),
    path("kaartje.png", locations.home_image, name="home-image"),
    path("groepen/<int:group_id>/", groups.group_page, name="group"),
    path("groepen/<int:group_id>/volgen/", groups.group_follow, name="group-follow"),
    path("groepen/<int:group_id>/meedoen/", groups.group_join, name="group-join"),
    path("groepen/<int:group_id>/nieuws/", groups.news_create, name="news-create"),
    path("groepen/<int:group_id>/forum/", groups.thread_create, name="thread-create"),
    path("groepen/<int:group_id>/forum/<int:thread_id>/", groups.thread_page, name="thread"),
    path("groepen/<int:group_id>/agenda/", groups.agenda_create, name="agenda-create"),
    path("groepen/<int:group_id>/taken/", groups.task_create, name="task-create"),
    path("groepen/<int:group_id>/taken/<int:task_id>/oppakken/", groups.task_take, name="task-take"),
    path("groepen/<int:group_id>/taken/<int:task_id>/klaar/", groups.task_finish, name="task-finish"),
    path("groepen/<int:group_id>/updates/", groups.update_create, name="update-create"),
    path("fotos/<int:photo_id>/", groups.photo, name="photo"),
    path("groepen/<int:group_id>/uren/", groups.hours_create, name="hours-create"),
    path("groepen/<int:group_id>/agenda.ics", groups.group_calendar, name="group-calendar"),
    path("groepen/afmelden/<str:token>/", groups.group_unsubscribe, name="group-unsubscribe"),
    path("agenda/<str:token>.ics", groups.my_calendar, name="my-calendar"),
    path("agenda/link/", groups.my_calendar_link, name="my-calendar-link"),
]
urlpatterns += [
    path("initiatief/", initiatives.initiative_new, name="initiative-new"),
    path("initiatief/<int:initiative_id>/meedoen/<str:token>/", initiatives.initiative_join, name="initiative-join"),
    path("eigenaren/<slug:slug>/waarde/", value.value_page, name="value"),
    path("eigenaren/<slug:slug>/kosten/", value.cost_table, name="value-costs"),
    path("eigenaren/<slug:slug>/waarde.csv", value.value_csv, name="value-csv"),
    path("eigenaren/<slug:slug>/waarde/gebieden.csv", value.value_areas_csv, name="value-areas-csv"),
    path("eigenaren/<slug:slug>/waarde/gebieden.gpkg", value.value_areas_gpkg, name="value-areas-gpkg"),
    path("eigenaren/<slug:slug>/waarde/regisseur/", value.value_regisseur_page, name="value-regisseur"),
    path("eigenaren/<slug:slug>/waarde/regisseur/gebieden.csv", value.value_regisseur_csv, name="value-regisseur-csv"),
    path(
        "eigenaren/<slug:slug>/waarde/regisseur/gebieden.gpkg", value.value_regisseur_gpkg, name="value-regisseur-gpkg"
    ),
    path("regisseur/", regisseur.regisseur_dashboard, name="regisseur"),
    path("regisseur/grond/<int:location_id>/", regisseur.ground_resolve, name="ground-resolve"),
    path("mijn-zelfbeheer/", mine.my_zelfbeheer, name="mine"),
    path("contracten/<int:contract_id>/", contracts.contract_page, name="contract"),
    path("contracten/<int:contract_id>/verlengen/", contracts.contract_renew_view, name="contract-renew"),
    path("contracten/<int:contract_id>/beeindigen/", contracts.contract_end_view, name="contract-end"),
]
urlpatterns += [
    path("account/", accounts.account_page, name="account"),
    path("account/aanmaken/", accounts.register, name="register"),
    path("account/aanmaken/verstuurd/", accounts.register_sent, name="register-sent"),
    path("account/bevestigen/<str:token>/", accounts.register_confirm, name="register-confirm"),
    path("account/e-mailadres/<str:token>/", accounts.email_confirm, name="email-confirm"),
    path("account/wachtwoord/", accounts.password_change, name="password-change"),
    path("account/verwijderen/", accounts.account_delete, name="account-delete"),
]
urlpatterns += [
    path("ondersteuning/", support.pool_page, name="support-pool"),
    path("ondersteuning/postvak/", support.inbox, name="support-inbox"),
    path("ondersteuning/verzoeken/<int:request_id>/antwoord/", support.answer, name="support-answer"),
    path("groepen/<int:group_id>/ondersteuning/", support.group_support, name="group-support"),
    path("groepen/<int:group_id>/ondersteuning/<int:request_id>/betalen/", support.support_spend, name="support-spend"),
    path("regisseur/ondersteuning/", support.regisseur_support, name="regisseur-support"),
    path("groepen/<int:group_id>/budget/", budgets.group_budget, name="group-budget"),
    path("groepen/<int:group_id>/budget/<int:expense_id>/herstellen/", budgets.expense_reverse, name="budget-reverse"),
    path("budget/bonnen/<int:expense_id>/", budgets.receipt, name="budget-receipt"),
    path("regisseur/budgetten/", budgets.regisseur_budgets, name="regisseur-budgets"),
    path("regisseur/budgetten/<int:grant_id>/besluit/", budgets.regisseur_decide, name="regisseur-budget-decide"),
    path("regisseur/budgetten/<slug:slug>.csv", budgets.regisseur_export, name="regisseur-budget-export"),
    path("regisseur/ondersteuning/ondersteuner/", support.regisseur_supporter_new, name="regisseur-supporter-new"),
    path("regisseur/ondersteuning/lijst/", support.regisseur_allow, name="regisseur-allow"),
    path("regisseur/ondersteuning/vouchers/", support.regisseur_issue, name="regisseur-issue"),
]
