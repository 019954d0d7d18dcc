-- Tenants, their agents, and API tokens. Every tenant-owned row carries tenant_id and
-- every query on it filters by tenant (see TenantScope).
CREATE TABLE tenants (
    id             uuid PRIMARY KEY,
    slug           text NOT NULL UNIQUE,
    name           text NOT NULL,
    config_version bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agents (
    id                   uuid PRIMARY KEY,
    tenant_id            uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name                 text NOT NULL,
    -- SHA-256 of the agent token; the token itself is shown once and never stored.
    token_hash           bytea NOT NULL UNIQUE,
    created_at           timestamptz NOT NULL DEFAULT now(),
    revoked_at           timestamptz,
    connected            boolean NOT NULL DEFAULT false,
    -- Which control-plane replica holds the agent's stream, and its epoch, so a stale
    -- disconnect does not mark a reconnected agent offline.
    channel_epoch        bigint NOT NULL DEFAULT 0,
    version              text,
    hostname             text,
    recording_public_key text,
    connected_at         timestamptz,
    last_heartbeat_at    timestamptz,
    config_version_acked bigint NOT NULL DEFAULT 0,
    row_version          bigint NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, name)
);

CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         text NOT NULL,
    token_hash   bytea NOT NULL UNIQUE,
    roles        text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    last_used_at timestamptz
);
