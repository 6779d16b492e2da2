from django.urls import path

from samspill.followup import views

app_name = "followup"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/<slug:section>/", views.today_section, name="today_section"),
    path("follow-up/dashboard/", views.dashboard, name="dashboard"),
    path("participants/<int:pk>/belief/", views.participant_belief, name="belief"),
]
