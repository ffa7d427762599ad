"""Pages of a long list, for every app's list pages."""

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet


def paginate(
    queryset: QuerySet[Any], page_param: str | None, per_page: int
) -> tuple[Page[Any], str]:
    """A page of results, and a message if the asked-for page did not exist."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(page_param or 1), ""
    except PageNotAnInteger:
        return paginator.page(1), "That page number was not understood, so here is the first page."
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
        return page, f"That page is past the end, so here is the last page (page {page.number})."
