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

# Practice data: the mirror, the leader's overview (samspill/learning/practice_views.py).
from samspill.learning import practice_views  # noqa: E402

urlpatterns += [
    path("practice/", practice_views.my_practice, name="my_practice"),
    path("overview/", practice_views.learning_overview, name="overview"),
]
