"""Slugs made from names, unique within their model."""

from typing import Any

from django.db import models
from django.utils.text import slugify

SLUG_LENGTH = 200


def unique_slug(model: type[models.Model], name: str) -> str:
    """A slug of `name` that `model` has not taken yet: "kent", else "kent-2", "kent-3" …"""
    base = slugify(name)[: SLUG_LENGTH - 10] or "x"
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class SlugFromName(models.Model):
    """Fills a blank slug from the name on save. The admin prepopulates and checks it; this is for
    records made in code (the importer, the archive generator, the tests)."""

    name: str
    slug: str

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(type(self), self.name)
        super().save(*args, **kwargs)
