from django.urls import path

from samspill.placements import views

app_name = "placements"

urlpatterns = [
    path("concerns/<int:pk>/handled/", views.concern_handle, name="concern_handle"),
]
