"""Coordinator meetings and employer events (views_coordination), under /employers/coordination/."""

from django.urls import path

from samspill.employers import views_coordination as views

app_name = "coordination"

urlpatterns = [
    path("meetings/", views.series_list, name="series_list"),
    path("meetings/new/", views.series_create, name="series_create"),
    path("meetings/<int:pk>/", views.series_detail, name="series"),
    path("meetings/<int:pk>/edit/", views.series_edit, name="series_edit"),
    path("meetings/<int:pk>/calendar.ics", views.series_calendar, name="series_calendar"),
    path("meetings/<int:pk>/occurrences/", views.meeting_add, name="meeting_add"),
    path("meetings/<int:pk>/occurrences/<int:meeting_pk>/", views.meeting_detail, name="meeting"),
    path(
        "meetings/<int:pk>/occurrences/<int:meeting_pk>/actions/",
        views.action_add,
        name="action_add",
    ),
    path("actions/", views.my_actions, name="my_actions"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/invite/", views.event_invite, name="event_invite"),
    path(
        "events/<int:pk>/invitations/<int:invitation_pk>/",
        views.invitation_record,
        name="invitation_record",
    ),
]
