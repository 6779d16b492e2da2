from django.urls import path

from samspill.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.portal_home, name="home"),
    path("placements/<int:pk>/", views.placement_detail, name="placement"),
    path("placements/<int:pk>/notes/", views.note_add, name="note_add"),
    path("placements/<int:pk>/concern/", views.concern_raise, name="concern"),
    path("invitation/<str:uidb64>/<str:token>/", views.invitation, name="invitation"),
    path(
        "invite/<int:employer_pk>/<int:contact_pk>/",
        views.invite,
        name="invite",
    ),
]
