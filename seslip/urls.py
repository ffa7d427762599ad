from django.contrib import admin
from django.urls import path

admin.site.site_header = "SESLIP update editor"
admin.site.site_title = "SESLIP editor"
admin.site.index_title = "Compose and keep the weekly update"

urlpatterns = [
    path("admin/", admin.site.urls),
]
