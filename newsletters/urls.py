from django.urls import include, path

from . import feeds, personal_feeds, preview, views, views_responses

urlpatterns = [
    path("updates/", views.issue_list, name="issue_list"),
    path("updates/feed/", feeds.issue_feed, name="issue_feed"),
    path("updates/feed/rss/", feeds.issue_feed_rss, name="issue_feed_rss"),
    path("updates/<int:number>/", views.issue_detail, name="issue_detail"),
    path("updates/<int:number>.txt", views.issue_text, name="issue_text"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("updates/<int:number>/preview/", preview.issue_preview, name="issue_preview"),
    path("preview/<str:token>/", preview.issue_preview_link, name="issue_preview_link"),
    path("calendar.ics", feeds.calendar, name="calendar"),
    path("networks/<slug:slug>/calendar.ics", feeds.network_calendar, name="network_calendar"),
    path("meetings/<int:pk>.ics", feeds.meeting_ics, name="meeting_ics"),
    path("actions/<int:pk>.ics", feeds.action_ics, name="action_ics"),
    path("accounts/feeds/", personal_feeds.reader_feeds, name="reader_feeds"),
    path("accounts/feeds/new/", personal_feeds.new_feed_address, name="new_feed_address"),
    path(
        "feeds/<str:token>/calendar.ics",
        personal_feeds.personal_calendar,
        name="personal_calendar",
    ),
    path(
        "feeds/<str:token>/updates/", personal_feeds.personal_issue_feed, name="personal_issue_feed"
    ),
    path(
        "feeds/<str:token>/updates/rss/",
        personal_feeds.personal_issue_feed_rss,
        name="personal_issue_feed_rss",
    ),
    path("actions/<int:pk>/", views_responses.action_detail, name="action_detail"),
    path("authority/", views_responses.my_authority, name="my_authority"),
    path("responses/<int:pk>/", views_responses.answer_response, name="answer_response"),
    path("", include("newsletters.mailing.urls")),
]
