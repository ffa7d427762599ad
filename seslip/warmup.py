"""Work each server process would otherwise repeat on its first requests, done once in the
gunicorn master before it forks its workers (gunicorn.conf.py): the URL patterns loaded and every
template compiled. A worker started after max_requests then serves its first page as fast as its
thousandth. No database connection is opened here."""

import logging
from pathlib import Path

from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver

log = logging.getLogger(__name__)
TEMPLATE_SUFFIXES = (".html", ".txt", ".xml")


def warm_up():
    get_resolver().reverse_dict  # noqa: B018  (loads and indexes every URL pattern)
    return compile_templates()


def compile_templates():
    compiled = 0
    for engine in engines.all():
        for directory in map(Path, engine.template_dirs):
            for path in directory.rglob("*"):
                if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
                    continue
                try:
                    engine.get_template(str(path.relative_to(directory)))
                    compiled += 1
                except (TemplateDoesNotExist, TemplateSyntaxError, UnicodeDecodeError) as error:
                    log.debug("Not compiled ahead: %s (%s)", path, error)
    return compiled
