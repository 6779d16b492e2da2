from django.urls import path

from samspill.insights import views

app_name = "insights"

urlpatterns = [
    path("effects/", views.effects_page, name="effects"),
    path("effects/run/", views.effects_run, name="effects_run"),
    path("fidelity/", views.fidelity_page, name="fidelity"),
    path("creaming/", views.creaming_page, name="creaming"),
    path("outcomes/", views.outcomes_page, name="outcomes"),
]
