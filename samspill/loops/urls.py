from django.urls import path

from samspill.loops import views, views_gatherings

app_name = "loops"

urlpatterns = [
    path("", views.loop_list, name="list"),
    path("new/", views.loop_create, name="create"),
    path("driver/", views.driver, name="driver"),
    path("<int:pk>/", views.loop_detail, name="detail"),
    path("<int:pk>/fill/", views.seat_fill, name="fill"),
    path("<int:pk>/leave/", views.seat_leave, name="leave"),
    path("<int:pk>/replace/", views.employer_replace, name="replace"),
    path("<int:pk>/mentor/", views.mentor_set, name="mentor"),
    path("<int:pk>/wheel/", views.wheel, name="wheel"),
    path("gatherings/new/", views_gatherings.gathering_create, name="gathering_create"),
    path("gatherings/<int:pk>/", views_gatherings.gathering_detail, name="gathering"),
    path("gatherings/<int:pk>/invite/", views_gatherings.gathering_invite, name="invite"),
    path("gatherings/<int:pk>/propose/", views_gatherings.gathering_propose, name="propose"),
    path(
        "gatherings/<int:pk>/invitations/<int:invitation_pk>/attendance/",
        views_gatherings.invitation_attendance,
        name="attendance",
    ),
    path("gatherings/<int:pk>/marks/", views_gatherings.marks_save, name="marks"),
    path("gatherings/<int:pk>/formation/", views_gatherings.formation_run, name="formation"),
    path(
        "gatherings/<int:pk>/formation/swap/",
        views_gatherings.formation_swap,
        name="formation_swap",
    ),
    path(
        "gatherings/<int:pk>/formation/accept/",
        views_gatherings.formation_accept,
        name="formation_accept",
    ),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<int:pk>/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical"),
]
