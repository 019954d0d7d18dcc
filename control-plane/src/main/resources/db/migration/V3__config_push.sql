-- Config push. Any change to what a tenant's agents enforce bumps tenants.config_version
-- in the same transaction, and the bump notifies every control-plane replica
-- (LISTEN ward_config) when the transaction commits; each replica then pushes the new
-- snapshot to the agents it holds. Doing it in triggers keeps it in one place: no write
-- path can change config without agents hearing of it.
CREATE FUNCTION ward_bump_config_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    tenant uuid;
BEGIN
    IF TG_OP = 'DELETE' THEN
        tenant := OLD.tenant_id;
    ELSE
        tenant := NEW.tenant_id;
    END IF;
    UPDATE tenants SET config_version = config_version + 1 WHERE id = tenant;
    RETURN NULL;
END;
$$;

CREATE TRIGGER connections_bump_config AFTER INSERT OR UPDATE OR DELETE ON connections
    FOR EACH ROW EXECUTE FUNCTION ward_bump_config_version();
CREATE TRIGGER policies_bump_config AFTER INSERT OR UPDATE OR DELETE ON policies
    FOR EACH ROW EXECUTE FUNCTION ward_bump_config_version();
CREATE TRIGGER identity_providers_bump_config AFTER INSERT OR UPDATE OR DELETE ON identity_providers
    FOR EACH ROW EXECUTE FUNCTION ward_bump_config_version();

CREATE FUNCTION ward_notify_config() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ward_config', NEW.id::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER tenants_notify_config AFTER UPDATE OF config_version ON tenants
    FOR EACH ROW WHEN (NEW.config_version <> OLD.config_version)
    EXECUTE FUNCTION ward_notify_config();

-- A revoked agent's stream may be held by another replica: tell them all.
CREATE FUNCTION ward_notify_agent_revoked() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ward_agent_revoked', NEW.id::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER agents_notify_revoked AFTER UPDATE OF revoked_at ON agents
    FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
    EXECUTE FUNCTION ward_notify_agent_revoked();
