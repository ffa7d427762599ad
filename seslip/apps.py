from django.apps import AppConfig


class SeslipConfig(AppConfig):
    name = "seslip"
    verbose_name = "SESLIP site"
