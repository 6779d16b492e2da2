from django.urls import path

from samspill.employers import office_views, views

app_name = "employers"

urlpatterns = [
    path("", views.employer_list, name="list"),
    path("pipeline/", views.pipeline_board, name="board"),
    path("new/", views.employer_create, name="create"),
    path("apprenticeship-offices/", office_views.office_list, name="offices"),
    path("apprenticeship-offices/new/", office_views.office_create, name="office_create"),
    path("apprenticeship-offices/<int:pk>/", office_views.office_edit, name="office_edit"),
    path("<int:pk>/", views.employer_detail, name="detail"),
    path("<int:pk>/edit/", views.employer_edit, name="edit"),
    path("<int:pk>/stage/", views.employer_stage, name="stage"),
    path("<int:pk>/outreach/", views.outreach_add, name="outreach_add"),
    path("<int:pk>/needs/", views.need_add, name="need_add"),
    path("<int:pk>/needs/<int:need_pk>/toggle/", views.need_close, name="need_toggle"),
    path("<int:pk>/agreements/", views.agreement_add, name="agreement_add"),
    path("<int:pk>/agreements/<int:agreement_pk>/", views.agreement_edit, name="agreement_edit"),
    path(
        "<int:pk>/agreements/<int:agreement_pk>/document/",
        views.agreement_document,
        name="agreement_document",
    ),
    path("<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("<int:pk>/contacts/<int:contact_pk>/", views.contact_detail, name="contact"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/support/",
        views.mentor_support_add,
        name="mentor_support_add",
    ),
    path("<int:pk>/contact-person/", views.contact_person_change, name="contact_person"),
    path("<int:pk>/placements/", views.placement_add, name="placement_add"),
]
