from django.contrib import admin

from matchmaking.core.admin_base import ReadOnlyAdmin
from matchmaking.organisations.models import Invitation, JoinApplication, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "key", "kind", "country", "region", "hosting_capacity", "status", "is_demo"]
    list_filter = ["status", "country", "is_demo"]
    search_fields = ["name", "key", "city"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "organisation__name"]


@admin.register(JoinApplication)
class JoinApplicationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    exclude = ["contact_name", "contact_email"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    exclude = ["token"]
