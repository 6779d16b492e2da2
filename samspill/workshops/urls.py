from django.urls import path

from samspill.workshops import views

app_name = "workshops"

urlpatterns = [
    path("", views.workshop_list, name="list"),
    path("new/", views.workshop_create, name="create"),
    path("<int:pk>/", views.workshop_detail, name="detail"),
    path("<int:pk>/edit/", views.workshop_edit, name="edit"),
    path("<int:pk>/enrol/", views.workshop_enrol, name="enrol"),
    path("<int:pk>/sessions/", views.session_add, name="session_add"),
    path("sessions/<int:pk>/", views.session_attendance, name="session"),
    path("enrolments/<int:pk>/", views.enrolment_profile, name="profile"),
    path("enrolments/<int:pk>/cv.pdf", views.enrolment_cv_pdf, name="cv_pdf"),
]
