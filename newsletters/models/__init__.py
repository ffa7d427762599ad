"""The weekly updates' records: updates (issues.py), news items, actions and Tools & Templates
(items.py), what each update lists in order (listings.py), and the authorities' responses to
actions (responses.py)."""

from ..mailing.models import Delivery, Edition, Subscriber  # the e-mail edition's records
from .issues import Issue, IssueQuerySet, is_published, next_publication
from .items import (
    Action,
    ActionQuerySet,
    NewsItem,
    NewsItemQuerySet,
    Resource,
    ResourceQuerySet,
    is_readable_item,
    is_readable_resource,
    latest_published_issue_number,
)
from .listings import (
    IssueContact,
    IssueListing,
    IssueMeeting,
    IssueResource,
    Listing,
    ListingQuerySet,
    Placement,
    published_from_refresher,
    refresh_published_from,
    refresh_resource_published_from,
)
from .responses import (
    ANSWERED,
    OUTSTANDING,
    ActionResponse,
    ActionResponseQuerySet,
    ResponseStatus,
)

__all__ = [
    "ANSWERED",
    "OUTSTANDING",
    "Action",
    "ActionResponse",
    "ActionResponseQuerySet",
    "ResponseStatus",
    "ActionQuerySet",
    "Delivery",
    "Edition",
    "Subscriber",
    "Issue",
    "IssueContact",
    "IssueListing",
    "IssueMeeting",
    "IssueQuerySet",
    "IssueResource",
    "Listing",
    "ListingQuerySet",
    "NewsItem",
    "NewsItemQuerySet",
    "Placement",
    "Resource",
    "ResourceQuerySet",
    "is_published",
    "is_readable_item",
    "is_readable_resource",
    "latest_published_issue_number",
    "next_publication",
    "published_from_refresher",
    "refresh_published_from",
    "refresh_resource_published_from",
]
