from django.urls import path

from samspill.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.library, name="library"),
    path("methods/new/", views.method_create, name="method_create"),
    path("methods/<int:pk>/", views.method_detail, name="method"),
    path("methods/<int:pk>/edit/", views.method_edit, name="method_edit"),
    path("methods/<int:pk>/publish/", views.method_publish, name="method_publish"),
    path("methods/<int:pk>/share/", views.method_share, name="method_share"),
    path("methods/<int:pk>/adopt/", views.method_adopt, name="method_adopt"),
    path("methods/<int:pk>/files/", views.method_file_add, name="method_file_add"),
    path("files/<int:pk>/", views.method_file, name="method_file"),
    path("networks/", views.networks, name="networks"),
    path("mentors/", views.mentors, name="mentors"),
    path("goals/", views.goals, name="goals"),
    path("goals/<int:pk>/", views.goal_detail, name="goal"),
    path("team/", views.team_goals, name="team_goals"),
]

# The learning programme (issue 20, item 4).
from samspill.learning import programme_sharing_views, programme_views  # noqa: E402

urlpatterns += [
    path("programmes/", programme_views.programmes, name="programmes"),
    path("programmes/<int:pk>/", programme_views.programme_detail, name="programme"),
    path("modules/<int:pk>/sessions/new/", programme_views.session_add, name="session_add"),
    path("sessions/<int:pk>/", programme_views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", programme_views.session_edit, name="session_edit"),
    path("sessions/<int:pk>.ics", programme_views.session_ics, name="session_ics"),
    path("materials/<int:pk>/", programme_views.material_file, name="material"),
    path("reflections/", programme_views.reflections, name="reflections"),
    path("programmes/<int:pk>/share/", programme_sharing_views.share, name="programme_share"),
    path("programmes/shared/", programme_sharing_views.shared_programmes, name="shared_programmes"),
    path(
        "programmes/shared/<int:pk>/",
        programme_sharing_views.shared_programme,
        name="shared_programme",
    ),
    path(
        "programmes/shared/<int:pk>/adopt/",
        programme_sharing_views.adopt,
        name="programme_adopt",
    ),
    path(
        "programmes/shared/materials/<int:pk>/",
        programme_sharing_views.shared_material,
        name="shared_material",
    ),
    path("calendar/", programme_views.session_calendar, name="session_calendar"),
    path("calendar/<str:token>.ics", programme_views.session_feed, name="session_feed"),
]

# Practice data: the mirror, the leader's overview (samspill/learning/practice_views.py).
from samspill.learning import practice_views  # noqa: E402

urlpatterns += [
    path("practice/", practice_views.my_practice, name="my_practice"),
    path("overview/", practice_views.learning_overview, name="overview"),
]

# Sparring, peer feedback and supervision groups (issue 20, items 6 and 7).
from samspill.learning import sparring_views  # noqa: E402

urlpatterns += [
    path("sparring/", sparring_views.sparring, name="sparring"),
    path("sparring/new/", sparring_views.sparring_new, name="sparring_new"),
    path("sparring/effect/", sparring_views.sparring_effect, name="sparring_effect"),
    path("sparring/<int:pk>/", sparring_views.sparring_case, name="sparring_case"),
    path("sparring/<int:pk>/accept/", sparring_views.sparring_accept, name="sparring_accept"),
    path("sparring/<int:pk>/close/", sparring_views.sparring_close, name="sparring_close"),
    path(
        "participants/<int:pk>/lost-belief/",
        sparring_views.sparring_lost_belief,
        name="sparring_lost_belief",
    ),
    path("feedback/", sparring_views.feedback, name="feedback"),
    path("feedback/<int:pk>/", sparring_views.feedback_detail, name="feedback_detail"),
    path("groups/", sparring_views.groups, name="groups"),
    path("groups/<int:pk>/", sparring_views.group_detail, name="group"),
    path("sessions/<int:pk>/notes/", sparring_views.session_notes, name="session_notes"),
]
