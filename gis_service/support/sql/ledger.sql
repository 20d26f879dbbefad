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

-- A job has one price: a request to a supporter paid per job is paid once (hours and vouchers pay
-- per visit, so other requests may be paid again). It takes the group's lock first, as the balance
-- rule does, so two payments at once for the same job are one after the other and the second sees
-- the first (triggers of one event run in name order: this one before the balance's).
CREATE OR REPLACE FUNCTION support_ledger_job_paid_once() RETURNS trigger AS $$
BEGIN
    IF NEW.request_id IS NULL THEN
        RETURN NEW;
    END IF;
    PERFORM 1 FROM groups_group WHERE id = NEW.group_id FOR UPDATE;
    IF EXISTS (
        SELECT 1 FROM support_supportrequest AS r JOIN support_supporter AS s ON s.id = r.supporter_id
        WHERE r.id = NEW.request_id AND s.price_kind = 'per_klus'
    ) AND EXISTS (SELECT 1 FROM support_ledgerentry WHERE request_id = NEW.request_id) THEN
        RAISE EXCEPTION 'support_ledger_job_paid_once: request % is a job and was paid already', NEW.request_id
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'support_ledger_job_paid_once';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS support_ledger_job_paid_once ON support_ledgerentry;
CREATE TRIGGER support_ledger_job_paid_once BEFORE INSERT ON support_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION support_ledger_job_paid_once();
