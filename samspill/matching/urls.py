from django.urls import path

from samspill.matching import views

app_name = "matching"

urlpatterns = [
    path("needs/<int:pk>/", views.need_candidates, name="need"),
    path("participants/<int:pk>/", views.participant_suggestions, name="participant"),
    path("hit-rates/", views.hit_rates, name="hit_rates"),
    path("proposals/<int:pk>/outcome/", views.proposal_outcome, name="outcome"),
    path("proposals/<int:pk>/present/", views.proposal_present, name="present"),
]
