"""Choosing employers for a loop (selection.py, views_selection.py)."""

from django.urls import path

from samspill.loops import views_selection

app_name = "loop_selection"

urlpatterns = [
    path("<int:pk>/employers/", views_selection.employer_selection, name="employers"),
]
