"""The site's URLs served under /elsewhere/ (test_remembered_tags: a changed URL configuration)."""

from django.urls import include, path

urlpatterns = [path("elsewhere/", include("seslip.urls"))]
