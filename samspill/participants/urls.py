from django.urls import path

from samspill.participants import views
from samspill.plans import views as plan_views

app_name = "participants"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("new/", views.participant_create, name="create"),
    path("reassign/", views.bulk_reassign, name="bulk_reassign"),
    path("<int:pk>/", views.participant_detail, name="detail"),
    path("<int:pk>/edit/", views.participant_edit, name="edit"),
    path("<int:pk>/consent/", views.participant_consent, name="consent"),
    path(
        "<int:pk>/consent/<int:consent_pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<int:pk>/follow-up/", views.participant_follow_up, name="follow_up"),
    path("<int:pk>/outcomes/", views.outcome_record, name="outcome_record"),
    path(
        "<int:pk>/outcomes/<int:outcome_pk>/correct/",
        views.outcome_correct,
        name="outcome_correct",
    ),
    path(
        "<int:pk>/outcomes/from-placement/<int:placement_pk>/",
        views.outcome_propose,
        name="outcome_propose",
    ),
    path("<int:pk>/statuses/<int:status_pk>/", views.status_record, name="status_record"),
    path("statuses/", views.statuses_to_record, name="statuses"),
    path("statuses/<int:status_pk>/", views.status_to_record, name="status_form"),
    path("<int:pk>/access-log/", views.participant_access_log, name="access_log"),
    path("<int:pk>/plan/", plan_views.participant_plan, name="plan"),
    path("<int:pk>/notes/", plan_views.note_add, name="note_add"),
    path(
        "<int:pk>/activities/<int:activity_pk>/status/",
        plan_views.activity_status,
        name="activity_status",
    ),
    path("<int:pk>/goals/<int:goal_pk>/status/", plan_views.goal_status, name="goal_status"),
]
