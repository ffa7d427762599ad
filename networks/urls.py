from django.urls import path

from . import views

urlpatterns = [
    path("networks/", views.network_list, name="network_list"),
    path("peer-challenge/", views.peer_challenge, name="peer_challenge"),
]
