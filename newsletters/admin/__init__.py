"""The newsletters admin, one module per screen family; importing this package registers them."""

from .inlines import IssueInline
from .issues import IssueAdmin
from .items import ActionAdmin, NewsItemAdmin, ResourceAdmin

__all__ = ["ActionAdmin", "IssueAdmin", "IssueInline", "NewsItemAdmin", "ResourceAdmin"]
