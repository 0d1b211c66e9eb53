from django.contrib import admin

from matchmaking.accounts.models import ApiToken, User
from matchmaking.core.admin_base import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["email", "name", "is_active", "last_login"]
    search_fields = ["email", "name"]
    exclude = ["password", "user_permissions", "groups"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "name", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]
