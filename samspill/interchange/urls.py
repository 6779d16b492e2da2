from django.urls import path

from samspill.interchange import views

app_name = "interchange"

urlpatterns = [path("", views.upload, name="upload")]
