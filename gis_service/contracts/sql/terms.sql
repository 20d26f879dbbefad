-- Terms are proof (docs/workflow.md): a terms version's text and hash never change (the hash is
-- computed from the text on insert), and an acceptance is never rewritten.
CREATE OR REPLACE FUNCTION contracts_terms_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.content_hash := encode(sha256(convert_to(NEW.text, 'UTF8')), 'hex');
        RETURN NEW;
    END IF;
    IF NEW.text IS DISTINCT FROM OLD.text OR NEW.content_hash IS DISTINCT FROM OLD.content_hash
       OR NEW.offering_id IS DISTINCT FROM OLD.offering_id OR NEW.number IS DISTINCT FROM OLD.number THEN
        RAISE EXCEPTION 'terms version % is immutable: publish a new version instead', OLD.id
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'terms_version_immutable';
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS terms_version_immutable ON contracts_termsversion;
CREATE TRIGGER terms_version_immutable BEFORE INSERT OR UPDATE ON contracts_termsversion
    FOR EACH ROW EXECUTE FUNCTION contracts_terms_version_immutable();

CREATE OR REPLACE FUNCTION contracts_terms_acceptance_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'terms acceptance % is proof and cannot be changed', OLD.id
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'terms_acceptance_append_only';
END $$;
DROP TRIGGER IF EXISTS terms_acceptance_append_only ON contracts_termsacceptance;
CREATE TRIGGER terms_acceptance_append_only BEFORE UPDATE ON contracts_termsacceptance
    FOR EACH ROW EXECUTE FUNCTION contracts_terms_acceptance_append_only();
