"""Platform staff see grants, expenses and decisions, read-only here as in the database
(budgets/sql/budgets.sql). Receipts are not linked: they are served only to the group's managers
and the owner's regisseurs, through the budget pages."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gis_service.budgets.models import AccountsDecision, Expense, Grant


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ["group", "purpose", "amount", "starts_on", "ends_on", "granted_by", "granted_at"]
    list_select_related = ["group", "granted_by"]


@admin.register(Expense)
class ExpenseAdmin(ReadOnlyAdmin):
    list_display = ["grant", "spent_on", "amount", "description", "reverses", "created_by", "created_at"]
    list_select_related = ["grant__group", "reverses", "created_by"]
    exclude = ["receipt"]


@admin.register(AccountsDecision)
class AccountsDecisionAdmin(ReadOnlyAdmin):
    list_display = ["grant", "decision", "decided_by", "decided_at"]
    list_select_related = ["grant__group", "decided_by"]
