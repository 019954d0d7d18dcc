-- Recording evidence: integrity verdicts, retention per tenant, legal hold per session, and the
-- history of every recording key an agent announced (so a session signed before a key change
-- still verifies).

ALTER TABLE tenants ADD COLUMN recording_retention_days integer
    CHECK (recording_retention_days BETWEEN 1 AND 36500);

ALTER TABLE sessions
    -- unverified | INTACT | INTACT_RECOVERED | TAIL_MISSING | TAMPERED | UNAVAILABLE
    ADD COLUMN integrity           text NOT NULL DEFAULT 'unverified',
    ADD COLUMN integrity_kind      text,
    ADD COLUMN integrity_segment   bigint,
    ADD COLUMN integrity_detail    text,
    ADD COLUMN verified_at         timestamptz,
    ADD COLUMN legal_hold          boolean NOT NULL DEFAULT false,
    ADD COLUMN legal_hold_reason   text,
    ADD COLUMN legal_hold_by       text,
    ADD COLUMN legal_hold_at       timestamptz,
    ADD COLUMN recording_deleted_at timestamptz;
CREATE INDEX sessions_tenant_integrity ON sessions (tenant_id, integrity);
CREATE INDEX sessions_retention ON sessions (tenant_id, ended_at)
    WHERE recording_deleted_at IS NULL AND NOT legal_hold;

-- Kept when the agent is deleted: its recordings must stay verifiable.
CREATE TABLE agent_recording_keys (
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    agent_id   uuid NOT NULL,
    public_key text NOT NULL,
    first_seen timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agent_id, public_key)
);
CREATE INDEX agent_recording_keys_tenant ON agent_recording_keys (tenant_id);

INSERT INTO agent_recording_keys (tenant_id, agent_id, public_key)
    SELECT tenant_id, id, recording_public_key FROM agents
    WHERE recording_public_key IS NOT NULL AND recording_public_key <> '';

CREATE FUNCTION ward_remember_recording_key() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.recording_public_key IS NOT NULL AND NEW.recording_public_key <> '' THEN
        INSERT INTO agent_recording_keys (tenant_id, agent_id, public_key)
            VALUES (NEW.tenant_id, NEW.id, NEW.recording_public_key)
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER agents_remember_recording_key
    AFTER INSERT OR UPDATE OF recording_public_key ON agents
    FOR EACH ROW EXECUTE FUNCTION ward_remember_recording_key();
