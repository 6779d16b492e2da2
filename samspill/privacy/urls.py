from django.urls import path

from samspill.privacy import views

app_name = "privacy"

urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("processing/", views.processing, name="processing"),
    path("retention/", views.retention_rules, name="retention"),
    path("holds/", views.legal_hold_place, name="hold_place"),
    path("holds/<int:pk>/lift/", views.legal_hold_lift, name="hold_lift"),
]
