from django.contrib import admin

from matchmaking.core.admin_base import ReadOnlyAdmin
from matchmaking.taxonomies.models import Region, Term


@admin.register(Term)
class TermAdmin(ReadOnlyAdmin):
    list_display = ["scheme", "code", "label", "active"]
    list_filter = ["scheme", "active"]
    search_fields = ["code"]


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "country"]
    list_filter = ["country"]
    search_fields = ["code", "name"]
