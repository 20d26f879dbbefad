-- The support ledger (support_ledgerentry): append-only, and no group's balance below zero.
-- Whoever writes the rows (the services, the admin, bulk SQL) meets these rules.

-- Rows are history: an UPDATE or DELETE is refused; a correction is a new row.
CREATE OR REPLACE FUNCTION support_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'support_ledger_append_only: ledger rows are never changed or deleted'
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'support_ledger_append_only';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS support_ledger_append_only ON support_ledgerentry;
CREATE TRIGGER support_ledger_append_only BEFORE UPDATE OR DELETE ON support_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION support_ledger_append_only();

-- A new row may not take the group's balance (in its unit) below zero. Two spendings at once
-- would each see the old balance; the lock on the group's row makes the second wait until the
-- first commits, and its SUM (a new statement, so a new snapshot under READ COMMITTED) sees it.
CREATE OR REPLACE FUNCTION support_ledger_not_overspent() RETURNS trigger AS $$
DECLARE
    balance numeric;
BEGIN
    PERFORM 1 FROM groups_group WHERE id = NEW.group_id FOR UPDATE;
    SELECT COALESCE(SUM(amount), 0) INTO balance
        FROM support_ledgerentry WHERE group_id = NEW.group_id AND unit = NEW.unit;
    IF balance + NEW.amount < 0 THEN
        RAISE EXCEPTION 'support_ledger_balance_not_negative: the balance of group % in % would be %', NEW.group_id, NEW.unit, balance + NEW.amount
            USING ERRCODE = 'check_violation', CONSTRAINT = 'support_ledger_balance_not_negative';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS support_ledger_not_overspent ON support_ledgerentry;
CREATE TRIGGER support_ledger_not_overspent BEFORE INSERT ON support_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION support_ledger_not_overspent();
