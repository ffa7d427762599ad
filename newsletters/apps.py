from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = "Weekly updates"

    def ready(self):
        from anymail.signals import tracking

        # Loaded before any task runs, so a worker's memory stays flat while it sends.
        from .mailing import tasks  # noqa: F401
        from .mailing.webhooks import record_tracking_event

        # anymail reports a provider's bounces and complaints only through this signal.
        tracking.connect(record_tracking_event, dispatch_uid="newsletters-bounces")
