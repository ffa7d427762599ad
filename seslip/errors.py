"""When the database is out of reach: a friendly 503 page with Retry-After, at once, never a
traceback. A view's database error is caught by the middleware; one raised in another middleware
(a session saved after the view) reaches Django's 500 handler, which answers 503 for it as well."""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.csp import CSP, build_policy
from django.views import defaults

logger = logging.getLogger("seslip.database")

DATABASE_ERRORS = (OperationalError, InterfaceError)
try:  # psycopg's own errors escape Django's wrapper when a server-side cursor is closed
    import psycopg

    DATABASE_ERRORS += (psycopg.OperationalError, psycopg.InterfaceError)
except ImportError:  # pragma: no cover - SQLite only
    pass
RETRY_AFTER_SECONDS = 10


def database_unavailable():
    # Rendered without the request: the page must not need the session or the user (the database).
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Raised below the CSP and framing middleware (a session saved after the view), the page
    # would pass back without their headers: it carries them itself (it has no script to allow).
    response[CSP.HEADER_ENFORCE] = build_policy(settings.SECURE_CSP)
    response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    return response


class DatabaseUnavailableMiddleware:
    """Turns a view's OperationalError or InterfaceError into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.warning(
            "Database unavailable for %s %s: %s", request.method, request.path, exception
        )
        return database_unavailable()


def server_error(request, template_name="500.html"):
    """handler500: the 503 page if the error was the database's, Django's 500 page otherwise."""
    if isinstance(sys.exception(), DATABASE_ERRORS):
        return database_unavailable()
    return defaults.server_error(request, template_name=template_name)
