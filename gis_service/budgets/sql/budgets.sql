-- Budgets and accounts (budgets_grant, budgets_expense, budgets_accountsdecision): history only,
-- never overdrawn, nothing spent in an approved period. Whoever writes (services, admin, SQL) meets these.

-- Rows are history: an UPDATE or DELETE is refused; a correction is a new (reversing) row.
CREATE OR REPLACE FUNCTION budgets_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'budgets_append_only: % rows are never changed or deleted', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'budgets_append_only';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS budgets_grant_append_only ON budgets_grant;
CREATE TRIGGER budgets_grant_append_only BEFORE UPDATE OR DELETE ON budgets_grant
    FOR EACH ROW EXECUTE FUNCTION budgets_append_only();
DROP TRIGGER IF EXISTS budgets_expense_append_only ON budgets_expense;
CREATE TRIGGER budgets_expense_append_only BEFORE UPDATE OR DELETE ON budgets_expense
    FOR EACH ROW EXECUTE FUNCTION budgets_append_only();
DROP TRIGGER IF EXISTS budgets_decision_append_only ON budgets_accountsdecision;
CREATE TRIGGER budgets_decision_append_only BEFORE UPDATE OR DELETE ON budgets_accountsdecision
    FOR EACH ROW EXECUTE FUNCTION budgets_append_only();

-- A new expense: its grant's accounts not approved, its date inside the grant's period, and the
-- spent total never above the grant. Two expenses (or an expense and the approval) at once: the
-- lock on the grant's row makes the second wait, and its SUM (a new statement, a new snapshot
-- under READ COMMITTED) sees the first.
CREATE OR REPLACE FUNCTION budgets_expense_allowed() RETURNS trigger AS $$
DECLARE
    granted numeric;
    period_start date;
    period_end date;
    spent numeric;
    reversed record;
BEGIN
    SELECT amount, starts_on, ends_on INTO granted, period_start, period_end
        FROM budgets_grant WHERE id = NEW.grant_id FOR UPDATE;
    IF EXISTS (SELECT 1 FROM budgets_accountsdecision WHERE grant_id = NEW.grant_id AND decision = 'goedgekeurd') THEN
        RAISE EXCEPTION 'budgets_period_closed: the accounts of grant % were approved', NEW.grant_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'budgets_period_closed';
    END IF;
    IF NEW.reverses_id IS NULL THEN
        IF NEW.spent_on < period_start OR NEW.spent_on > period_end THEN
            RAISE EXCEPTION 'budgets_expense_in_period: % is outside the period of grant %', NEW.spent_on, NEW.grant_id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'budgets_expense_in_period';
        END IF;
    ELSE
        SELECT grant_id, amount, reverses_id INTO reversed FROM budgets_expense WHERE id = NEW.reverses_id;
        IF reversed.grant_id <> NEW.grant_id OR reversed.reverses_id IS NOT NULL OR NEW.amount <> -reversed.amount THEN
            RAISE EXCEPTION 'budgets_reversal_matches: a reversal gives back exactly one expense of its own grant'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'budgets_reversal_matches';
        END IF;
    END IF;
    SELECT COALESCE(SUM(amount), 0) INTO spent FROM budgets_expense WHERE grant_id = NEW.grant_id;
    IF spent + NEW.amount > granted THEN
        RAISE EXCEPTION 'budgets_not_overdrawn: grant % would be overdrawn (% of %)', NEW.grant_id, spent + NEW.amount, granted
            USING ERRCODE = 'check_violation', CONSTRAINT = 'budgets_not_overdrawn';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS budgets_expense_allowed ON budgets_expense;
CREATE TRIGGER budgets_expense_allowed BEFORE INSERT ON budgets_expense
    FOR EACH ROW EXECUTE FUNCTION budgets_expense_allowed();

-- A decision takes the same lock, so an expense and the approval never pass each other.
CREATE OR REPLACE FUNCTION budgets_decision_lock() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM budgets_grant WHERE id = NEW.grant_id FOR UPDATE;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS budgets_decision_lock ON budgets_accountsdecision;
CREATE TRIGGER budgets_decision_lock BEFORE INSERT ON budgets_accountsdecision
    FOR EACH ROW EXECUTE FUNCTION budgets_decision_lock();
