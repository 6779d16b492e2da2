from django.urls import path

from samspill.insights import views

app_name = "insights"

urlpatterns = [
    path("effects/", views.effects_page, name="effects"),
    path("effects/run/", views.effects_run, name="effects_run"),
]
