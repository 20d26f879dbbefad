-- The status of a location follows from its offering, contracts and initiatives by one rule,
-- here. Whoever writes the rows (our services, the importer's bulk SQL, OGC Part 4 editing, the
-- admin), PostgreSQL keeps locations_location.status equal to location_status_of(...):
--   * a write that sets another status on a location is overruled by the BEFORE trigger;
--   * a change to an offering, contract or initiative refreshes the locations it concerns;
--   * the calendar (an offering period that starts or ends) is followed by the daily beat task
--     locations.follow_calendar, which calls locations_refresh_status for the offered locations.

-- "Today" for every rule that reads the calendar: the date in the platform's time zone, which
-- each of our connections sets (settings.py: -c zelfbeheer.time_zone=TIME_ZONE), as
-- Python's timezone.localdate() does. Connections of others (psql) get the platform's default.
CREATE OR REPLACE FUNCTION zelfbeheer_today() RETURNS date LANGUAGE sql STABLE AS $$
    SELECT (now() AT TIME ZONE coalesce(nullif(current_setting('zelfbeheer.time_zone', true), ''),
                                        'Europe/Amsterdam'))::date
$$;

-- The rule. In order of precedence:
--   in_beheer         an active contract rests on the location itself;
--   niet_beschikbaar  it is gone from its source, or another active contract holds (more than the
--                     overlap tolerance of) its ground today, so no sign-up there could be approved now;
--   aangevraagd       enough managers signed up (threshold reached) and the regisseur decides, or
--                     a waiting initiative asks for it;
--   beschikbaar       it is offered: an offering not stopped, today within its period;
--   niet_beschikbaar  otherwise (not offered, or not yet / no longer).
CREATE OR REPLACE FUNCTION location_status_of(location_id bigint, withdrawn_at timestamptz, ground geometry)
RETURNS varchar LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN EXISTS (SELECT 1 FROM contracts_contract c
                      WHERE c.location_id = $1 AND c.status = 'active') THEN 'in_beheer'
        WHEN $2 IS NOT NULL THEN 'niet_beschikbaar'
        -- (no active contract rests on the location itself once we are here)
        WHEN EXISTS (SELECT 1 FROM contracts_active_sharing($3, zelfbeheer_today(), zelfbeheer_today() + 1, NULL))
            THEN 'niet_beschikbaar'
        WHEN EXISTS (SELECT 1 FROM contracts_contract c
                      WHERE c.location_id = $1 AND c.status = 'open' AND c.threshold_reached_at IS NOT NULL)
          OR EXISTS (SELECT 1 FROM initiatives_initiative_locations il
                       JOIN initiatives_initiative i ON i.id = il.initiative_id
                      WHERE il.location_id = $1 AND i.status = 'submitted') THEN 'aangevraagd'
        WHEN EXISTS (SELECT 1 FROM contracts_offering o
                      WHERE o.location_id = $1 AND o.stopped_at IS NULL
                        AND (o.offered_from IS NULL OR o.offered_from <= zelfbeheer_today())
                        AND (o.offered_until IS NULL OR o.offered_until >= zelfbeheer_today())) THEN 'beschikbaar'
        ELSE 'niet_beschikbaar'
    END
$$;

-- Sets the status of the given locations to what the rule says, where it differs.
CREATE OR REPLACE FUNCTION locations_refresh_status(ids bigint[]) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    changed integer;
BEGIN
    UPDATE locations_location l
       SET status = location_status_of(l.id, l.withdrawn_at, l.geometry)
     WHERE l.id = ANY(ids)
       AND l.status IS DISTINCT FROM location_status_of(l.id, l.withdrawn_at, l.geometry);
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END $$;

-- The calendar moved on (run daily by beat): offering periods that started or ended, and
-- contracts whose period began or ended, change what the rule says of offered locations (the
-- only ones it can call beschikbaar).
CREATE OR REPLACE FUNCTION locations_follow_calendar() RETURNS integer LANGUAGE sql AS $$
    SELECT locations_refresh_status(ARRAY(SELECT location_id FROM contracts_offering))
$$;

-- A location's own writes: whatever status a writer sends, the rule decides. A new location has
-- nothing resting on it yet (its offering and contracts come after it), so the rule gives
-- niet_beschikbaar; the WHEN clauses keep the trigger off the rows that already agree (a bulk
-- import sends that status and pays nothing per row).
CREATE OR REPLACE FUNCTION locations_status_follows_rule() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.status := 'niet_beschikbaar';
    ELSE
        NEW.status := location_status_of(NEW.id, NEW.withdrawn_at, NEW.geometry);
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS location_status_on_insert ON locations_location;
CREATE TRIGGER location_status_on_insert BEFORE INSERT ON locations_location
    FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM 'niet_beschikbaar')
    EXECUTE FUNCTION locations_status_follows_rule();
DROP TRIGGER IF EXISTS location_status_on_update ON locations_location;
CREATE TRIGGER location_status_on_update BEFORE UPDATE ON locations_location
    FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status OR NEW.withdrawn_at IS DISTINCT FROM OLD.withdrawn_at)
    EXECUTE FUNCTION locations_status_follows_rule();
-- The importer's first COPY runs with session_replication_role = replica: our rules fire anyway.
ALTER TABLE locations_location ENABLE ALWAYS TRIGGER location_status_on_insert;
ALTER TABLE locations_location ENABLE ALWAYS TRIGGER location_status_on_update;

-- What rests on a location changed: offerings and contracts (an active contract also changes the
-- status of the locations whose ground it holds), and initiatives.
CREATE OR REPLACE FUNCTION locations_status_after_offering() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM locations_refresh_status(ARRAY[CASE WHEN TG_OP = 'DELETE' THEN OLD.location_id ELSE NEW.location_id END]);
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS location_status_after_offering ON contracts_offering;
CREATE TRIGGER location_status_after_offering AFTER INSERT OR UPDATE OR DELETE ON contracts_offering
    FOR EACH ROW EXECUTE FUNCTION locations_status_after_offering();

CREATE OR REPLACE FUNCTION locations_status_after_contract() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_OP <> 'INSERT' THEN
        ids := ARRAY[OLD.location_id];
        IF OLD.status = 'active' THEN
            ids := ids || ARRAY(SELECT l.id FROM locations_location l
                                 WHERE l.geometry && OLD.geometry AND ST_Intersects(l.geometry, OLD.geometry));
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        ids := coalesce(ids, '{}') || ARRAY[NEW.location_id];
        IF NEW.status = 'active' THEN
            ids := ids || ARRAY(SELECT l.id FROM locations_location l
                                 WHERE l.geometry && NEW.geometry AND ST_Intersects(l.geometry, NEW.geometry));
        END IF;
    END IF;
    PERFORM locations_refresh_status(ids);
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS location_status_after_contract ON contracts_contract;
CREATE TRIGGER location_status_after_contract
    AFTER INSERT OR DELETE OR UPDATE OF status, threshold_reached_at, geometry, location_id ON contracts_contract
    FOR EACH ROW EXECUTE FUNCTION locations_status_after_contract();

CREATE OR REPLACE FUNCTION locations_status_after_initiative() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM locations_refresh_status(ARRAY(SELECT location_id FROM initiatives_initiative_locations
                                            WHERE initiative_id = NEW.id));
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS location_status_after_initiative ON initiatives_initiative;
CREATE TRIGGER location_status_after_initiative AFTER UPDATE OF status ON initiatives_initiative
    FOR EACH ROW EXECUTE FUNCTION locations_status_after_initiative();

CREATE OR REPLACE FUNCTION locations_status_after_initiative_location() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM locations_refresh_status(ARRAY[CASE WHEN TG_OP = 'DELETE' THEN OLD.location_id ELSE NEW.location_id END]);
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS location_status_after_initiative_location ON initiatives_initiative_locations;
CREATE TRIGGER location_status_after_initiative_location
    AFTER INSERT OR DELETE ON initiatives_initiative_locations
    FOR EACH ROW EXECUTE FUNCTION locations_status_after_initiative_location();

-- Existing rows follow the rule from now on.
UPDATE locations_location l SET status = location_status_of(l.id, l.withdrawn_at, l.geometry)
 WHERE l.status IS DISTINCT FROM location_status_of(l.id, l.withdrawn_at, l.geometry);
