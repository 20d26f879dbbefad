from django.urls import path

from web import views

app_name = "web"
urlpatterns = [
    path("", views.map_page, name="map"),
    path("locaties/<int:location_id>/", views.location_page, name="location"),
    path("locaties/<int:location_id>/aanmelden/", views.location_signup, name="signup"),
    path("locaties/<int:location_id>/afmelden/", views.location_withdraw, name="withdraw"),
    path("locaties/<int:location_id>/voorwaarden/", views.location_terms, name="terms"),
    path("locaties/<int:location_id>/bord.svg", views.marker_svg, name="marker-svg"),
    path("locaties/<int:location_id>/bord/", views.marker_page, name="marker"),
    path("groepen/<int:group_id>/", views.group_page, name="group"),
    path("groepen/<int:group_id>/volgen/", views.group_follow, name="group-follow"),
    path("groepen/<int:group_id>/meedoen/", views.group_join, name="group-join"),
    path("groepen/<int:group_id>/nieuws/", views.news_create, name="news-create"),
    path("groepen/<int:group_id>/forum/", views.thread_create, name="thread-create"),
    path("groepen/<int:group_id>/forum/<int:thread_id>/", views.thread_page, name="thread"),
    path("groepen/<int:group_id>/agenda/", views.agenda_create, name="agenda-create"),
    path("groepen/<int:group_id>/taken/", views.task_create, name="task-create"),
    path("groepen/<int:group_id>/taken/<int:task_id>/oppakken/", views.task_take, name="task-take"),
    path("groepen/<int:group_id>/taken/<int:task_id>/klaar/", views.task_finish, name="task-finish"),
    path("groepen/<int:group_id>/updates/", views.update_create, name="update-create"),
    path("fotos/<int:photo_id>/", views.photo, name="photo"),
]
urlpatterns += [
    path("initiatief/", views.initiative_new, name="initiative-new"),
    path("regisseur/", views.regisseur_dashboard, name="regisseur"),
]
