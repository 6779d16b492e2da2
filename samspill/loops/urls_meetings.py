"""A loop's network meetings (meetings.py, views_meetings.py)."""

from django.urls import path

from samspill.loops import views_meetings

app_name = "loop_meetings"

urlpatterns = [
    path("<int:pk>/meetings/", views_meetings.network_meetings, name="list"),
]
