from django.urls import path

from . import views

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="subscription_confirm"),
    path("subscribe/preferences/<str:token>/", views.preferences, name="subscription_preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
