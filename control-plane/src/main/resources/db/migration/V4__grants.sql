-- Grants: short-lived JWTs signed with the tenant's Ed25519 key, verified offline by agents.
-- The private key is sealed with the tenant's data key (TenantKeys); agents receive only the
-- public keys. Several keys may be published at once, so rotation never invalidates grants
-- still in flight: a new key signs from now on, the old one is published until it retires.
CREATE TABLE grant_keys (
    id                 text PRIMARY KEY,
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    public_key         text NOT NULL,
    private_key_sealed bytea NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    -- No longer signs; still published until retire_at so its grants stay verifiable.
    superseded_at      timestamptz,
    retire_at          timestamptz
);
CREATE INDEX grant_keys_tenant ON grant_keys (tenant_id);

-- Grants (by jti) or whole work sessions (by sid) revoked before they expire.
CREATE TABLE revoked_grants (
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    revoked_id  text NOT NULL,
    revoked_at  timestamptz NOT NULL DEFAULT now(),
    revoked_by  text NOT NULL,
    -- After this the grant has expired anyway and the entry can be dropped.
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, revoked_id)
);

CREATE TRIGGER grant_keys_bump_config AFTER INSERT OR UPDATE OR DELETE ON grant_keys
    FOR EACH ROW EXECUTE FUNCTION ward_bump_config_version();
CREATE TRIGGER revoked_grants_bump_config AFTER INSERT OR UPDATE OR DELETE ON revoked_grants
    FOR EACH ROW EXECUTE FUNCTION ward_bump_config_version();
