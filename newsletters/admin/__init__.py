"""The newsletters admin, one module per screen family; importing this package registers them."""

from .issues import IssueAdmin, IssueInline
from .items import ActionAdmin, NewsItemAdmin, ResourceAdmin

__all__ = ["ActionAdmin", "IssueAdmin", "IssueInline", "NewsItemAdmin", "ResourceAdmin"]
