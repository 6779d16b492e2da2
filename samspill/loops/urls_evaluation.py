"""A loop's evaluation and the comparison of loops (evaluation.py, views_evaluation.py)."""

from django.urls import path

from samspill.loops import views_evaluation

app_name = "loop_evaluation"

urlpatterns = [
    path("<int:pk>/evaluation/", views_evaluation.evaluation_page, name="page"),
    path("<int:pk>/evaluation/open/", views_evaluation.evaluation_open, name="open"),
    path("<int:pk>/evaluation/close/", views_evaluation.evaluation_close, name="close"),
    path("<int:pk>/evaluation/outcome/", views_evaluation.evaluation_outcome, name="outcome"),
    path(
        "<int:pk>/evaluation/youth/<int:participant_pk>/",
        views_evaluation.youth_answer,
        name="youth",
    ),
    path("<int:pk>/evaluation/answer/", views_evaluation.own_answer, name="answer"),
    path("evaluations/mine/", views_evaluation.own_evaluations, name="mine"),
    path("compare/", views_evaluation.comparison, name="compare"),
]
