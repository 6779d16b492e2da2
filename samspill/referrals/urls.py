from django.urls import path

from samspill.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_create, name="create"),
    path("statistics/", views.referral_statistics, name="statistics"),
    path("statistics.csv", views.referral_statistics_csv, name="statistics_csv"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/edit/", views.referral_edit, name="edit"),
    path("<int:pk>/outcome/", views.referral_outcome, name="outcome"),
    path("<int:pk>/make-participant/", views.referral_make_participant, name="make_participant"),
    path("<int:pk>/clarification/", views.referral_clarification, name="clarification"),
]
