-- Membership periods are history (docs/value.md): a period is opened, later closed once, and then
-- kept. An UPDATE may only set ended_at of an open period; nothing else changes and nothing is
-- deleted, whoever writes the rows, so a report of a past year stays what it was.
CREATE OR REPLACE FUNCTION groups_membership_period_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL
       AND NEW.group_id = OLD.group_id AND NEW.user_id = OLD.user_id AND NEW.role = OLD.role
       AND NEW.started_at = OLD.started_at THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'membership period % is history: it can only be closed', OLD.id
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'membership_period_append_only';
END $$;
DROP TRIGGER IF EXISTS membership_period_append_only ON groups_membershipperiod;
CREATE TRIGGER membership_period_append_only BEFORE UPDATE OR DELETE ON groups_membershipperiod
    FOR EACH ROW EXECUTE FUNCTION groups_membership_period_append_only();
