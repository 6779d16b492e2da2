from django.urls import path

from samspill.placements import measures_views, mentor_views, views

app_name = "placements"

urlpatterns = [
    path("<int:pk>/", views.placement_detail, name="detail"),
    path("<int:pk>/agreement/<slug:step>/", views.agreement_step, name="step"),
    path("<int:pk>/meeting/", views.meeting, name="meeting"),
    path("<int:pk>/send/", views.send_for_approval, name="send"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/change/", views.change, name="change"),
    path("<int:pk>/versions/", views.compare, name="compare"),
    path("<int:pk>/agreement.pdf", views.agreement_download, name="agreement_pdf"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/end/", views.end, name="end"),
    path("<int:pk>/next/", views.next_placement, name="next"),
    path("<int:pk>/follow-ups/", views.follow_up, name="follow_up"),
    path("<int:pk>/evaluations/<slug:kind>/", views.evaluation, name="evaluation"),
    path("<int:pk>/certificate/", views.certificate, name="certificate"),
    path("<int:pk>/mentor/", mentor_views.mentor_page, name="mentor"),
    path("<int:pk>/certificate.pdf", views.certificate_download, name="certificate_pdf"),
    path("measures/", measures_views.measure_list, name="measures"),
    path("measures/<slug:key>/", measures_views.measure_edit, name="measure_edit"),
    path("concerns/<int:pk>/handled/", views.concern_handle, name="concern_handle"),
]
