"""Pages of loop partners outside the staff (drivers.py, views_drivers.py): the external
driver's and NAV's loop coordinator's own pages, and the organisation's page for them."""

from django.urls import path

from samspill.loops import views_drivers

app_name = "loop_partners"

urlpatterns = [
    path("partner/", views_drivers.partner_home, name="home"),
    path("partner/loops/<int:pk>/", views_drivers.partner_loop, name="loop"),
    path("partner/gatherings/<int:pk>/", views_drivers.partner_gathering, name="gathering"),
    path("partner/gatherings/<int:pk>/invite/", views_drivers.partner_invite, name="invite"),
    path(
        "partner/invitation/<str:uidb64>/<str:token>/",
        views_drivers.partner_invitation,
        name="invitation",
    ),
    path("partners/", views_drivers.partners_manage, name="list"),
    path("partners/<int:pk>/", views_drivers.partner_manage, name="manage"),
]
