from django.urls import path

from . import views

urlpatterns = [
    path("contacts/", views.contact_list, name="contact_list"),
]
