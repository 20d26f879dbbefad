"""The budgets' rules in PostgreSQL: history only, never overdrawn, nothing new in an approved
period (budgets/sql/budgets.sql)."""

from django.db import migrations

from gis_service.core.sqlfiles import run_sql_file

REVERSE = """
DROP TRIGGER IF EXISTS budgets_decision_lock ON budgets_accountsdecision;
DROP FUNCTION IF EXISTS budgets_decision_lock();
DROP TRIGGER IF EXISTS budgets_expense_allowed ON budgets_expense;
DROP FUNCTION IF EXISTS budgets_expense_allowed();
DROP TRIGGER IF EXISTS budgets_decision_append_only ON budgets_accountsdecision;
DROP TRIGGER IF EXISTS budgets_expense_append_only ON budgets_expense;
DROP TRIGGER IF EXISTS budgets_grant_append_only ON budgets_grant;
DROP FUNCTION IF EXISTS budgets_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("budgets", "0001_initial")]

    operations = [run_sql_file("gis_service.budgets", "budgets", reverse=REVERSE)]
