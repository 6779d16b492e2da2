from django.urls import path

from samspill.portal import measures, mentor_views, proposal_views, views

app_name = "portal"

urlpatterns = [
    path("", views.portal_home, name="home"),
    path("measures/", measures.measures, name="measures"),
    path("placements/<int:pk>/", views.placement_detail, name="placement"),
    path("placements/<int:pk>/notes/", views.note_add, name="note_add"),
    path("placements/<int:pk>/mentor/", mentor_views.mentor_page, name="mentor"),
    path("placements/<int:pk>/concern/", views.concern_raise, name="concern"),
    path("placements/<int:pk>/approve/", views.approve, name="approve"),
    path("placements/<int:pk>/certificate/", views.certificate_decide, name="certificate"),
    path("proposals/<int:pk>/", proposal_views.proposal_detail, name="proposal"),
    path("me/status/", views.my_status, name="my_status"),
    path("me/placements/<int:pk>/", views.my_placement, name="my_placement"),
    path("me/placements/<int:pk>/approve/", views.my_approve, name="my_approve"),
    path("me/placements/<int:pk>/certificate.pdf", views.my_certificate, name="my_certificate"),
    path(
        "invite-participant/<int:participant_pk>/",
        views.invite_participant,
        name="invite_participant",
    ),
    path("invitation/<str:uidb64>/<str:token>/", views.invitation, name="invitation"),
    path(
        "invite/<int:employer_pk>/<int:contact_pk>/",
        views.invite,
        name="invite",
    ),
]
