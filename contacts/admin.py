from django.contrib import admin

from .models import Contact, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "short_forms", "website"]
    list_filter = ["kind"]
    search_fields = ["name", "short_forms"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation", "email", "phone", "details_as_of"]
    list_filter = ["organisation__kind", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "role", "email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    date_hierarchy = "details_as_of"
