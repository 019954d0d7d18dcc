-- Approvals: what the agent sends with each held operation, the approvers' votes, and the
-- push of a decision to whichever control-plane replica holds the requesting agent's stream.

-- The agent may ask before the session is indexed; the session id is kept as given.
ALTER TABLE approvals DROP CONSTRAINT IF EXISTS approvals_session_id_fkey;
ALTER TABLE approvals DROP CONSTRAINT IF EXISTS approvals_state_check;
ALTER TABLE approvals ADD CONSTRAINT approvals_state_check
    CHECK (state IN ('pending', 'approved', 'denied', 'expired', 'cancelled', 'withdrawn'));

ALTER TABLE approvals
    -- the agent whose stream receives the decision (the latest to send the request)
    ADD COLUMN agent_id           uuid REFERENCES agents (id) ON DELETE SET NULL,
    ADD COLUMN connection_name    text,
    ADD COLUMN rule_reason        text,
    ADD COLUMN approver_groups    text[] NOT NULL DEFAULT '{}',
    ADD COLUMN self_approval      boolean NOT NULL DEFAULT false,
    ADD COLUMN max_time_box_ms    bigint NOT NULL DEFAULT 0,
    ADD COLUMN time_box_until     timestamptz,
    -- where the Slack message about it was posted, to update it in place
    ADD COLUMN slack_channel      text,
    ADD COLUMN slack_ts           text;

CREATE INDEX approvals_pending_expiry ON approvals (expires_at) WHERE state = 'pending';

-- One row per approver and request: min_approvals counts distinct approvers.
CREATE TABLE approval_votes (
    approval_id       uuid NOT NULL REFERENCES approvals (id) ON DELETE CASCADE,
    tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    approver          text NOT NULL,
    email             text,
    decision          text NOT NULL CHECK (decision IN ('approve', 'deny')),
    time_box_minutes  integer,
    via               text NOT NULL CHECK (via IN ('api', 'slack')),
    voted_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (approval_id, approver)
);

-- A tenant's Slack app: secrets sealed with the tenant's data key, never returned.
CREATE TABLE slack_settings (
    tenant_id             uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    channel               text,
    bot_token_sealed      bytea,
    webhook_url_sealed    bytea,
    signing_secret_sealed bytea NOT NULL,
    updated_at            timestamptz NOT NULL DEFAULT now()
);

-- A decided request reaches the agent from any replica: each LISTENs on ward_approval.
CREATE FUNCTION ward_notify_approval() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ward_approval', NEW.id::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER approvals_notify_decision AFTER UPDATE OF state ON approvals
    FOR EACH ROW WHEN (OLD.state = 'pending' AND NEW.state <> 'pending')
    EXECUTE FUNCTION ward_notify_approval();
