from django.urls import path

from samspill.selfservice import views

app_name = "selfservice"

urlpatterns = [
    path("portal/me/plan/", views.my_plan, name="my_plan"),
    path("portal/me/plan/propose/", views.my_activity_propose, name="my_activity_propose"),
    path("portal/me/plan/<int:pk>/done/", views.my_activity_done, name="my_activity_done"),
    path("portal/me/plan/<int:pk>/comment/", views.my_activity_comment, name="my_activity_comment"),
    path("portal/me/dialog/", views.my_dialog, name="my_dialog"),
    path("portal/me/consents/", views.my_consents, name="my_consents"),
    path(
        "portal/me/consents/<int:pk>/withdraw/",
        views.my_consent_withdraw,
        name="my_consent_withdraw",
    ),
    path("portal/me/documents/", views.my_documents, name="my_documents"),
    path("portal/me/schedule/", views.my_schedule, name="my_schedule"),
    path("portal/me/profile/", views.my_profile, name="my_profile"),
    path("portal/me/profile/strengths/", views.my_strengths, name="my_strengths"),
    path("portal/me/profile/cv/", views.my_cv, name="my_cv"),
    path("portal/me/profile/cv.pdf", views.my_cv_pdf, name="my_cv_pdf"),
    path("portal/me/access-log/", views.my_access_log, name="my_access_log"),
    path("portal/me/feedback/", views.my_feedback, name="my_feedback"),
    path("organisation/service-feedback/", views.feedback_summary, name="feedback_summary"),
    path("participants/<int:pk>/dialog/", views.participant_dialog, name="participant_dialog"),
    path("organisation/participant-pages/", views.portal_settings, name="settings"),
]
