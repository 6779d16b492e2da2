from django.urls import path

from samspill.organisations import views

app_name = "organisation"

urlpatterns = [
    path("", views.staff_list, name="staff"),
    path("staff/invite/", views.staff_invite, name="invite"),
    path("staff/<int:pk>/", views.member_edit, name="member"),
    path("staff/<int:pk>/resend/", views.member_resend, name="member_resend"),
    path("staff/<int:pk>/deactivate/", views.member_deactivate, name="member_deactivate"),
    path("staff/<int:pk>/reactivate/", views.member_reactivate, name="member_reactivate"),
    path("staff/<int:pk>/unlink-oidc/", views.member_oidc_unlink, name="member_oidc_unlink"),
    path("teams/", views.team_list, name="teams"),
    path("teams/<int:pk>/", views.team_edit, name="team"),
    path("teams/<int:pk>/delete/", views.team_delete, name="team_delete"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("settings/", views.organisation_settings, name="settings"),
    path("invitation/<str:uidb64>/<str:token>/", views.invitation, name="invitation"),
]
