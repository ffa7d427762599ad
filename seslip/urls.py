from django.contrib import admin
from django.urls import include, path

from contacts.views import OwnPasswordForm
from newsletters import admin_import
from newsletters.admin import responses as admin_responses

from . import views

admin.site.site_header = "SESLIP update editor"
admin.site.site_title = "SESLIP editor"
admin.site.index_title = "Compose and keep the weekly update"
admin.site.password_change_form = OwnPasswordForm  # signs out the editor's other sessions at once

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
    path("networks/<slug:slug>/", views.network_detail, name="network_detail"),
    path("", include("newsletters.urls")),
    path("", include("networks.urls")),
    path("", include("contacts.urls")),
    path(
        "admin/newsletters/import/",
        admin.site.admin_view(admin_import.import_update),
        name="import_update",
    ),
    path(
        "admin/newsletters/responses/",
        admin.site.admin_view(admin_responses.response_matrix),
        name="response_matrix",
    ),
    path("admin/", admin.site.urls),
    path("anymail/", include("anymail.urls")),  # a provider's bounce and complaint webhooks
]

handler500 = "seslip.errors.server_error"  # a database outage outside a view is a 503 too
