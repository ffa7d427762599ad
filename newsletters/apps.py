from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = "Weekly updates"

    def ready(self):
        from seslip.lib import generations as content

        from .models import Issue

        content.next_publication_source = Issue.objects.next_publication
