-- The tenant's domain: identity (users, groups, identity providers), what agents serve
-- (policies, connections), what they report (sessions, approvals), and the audit log.
-- Every tenant-owned row carries tenant_id; the API reads them only through
-- TenantScopedRepository, which filters by the caller's tenant.

-- Per-tenant data key (AES-256), wrapped by the master key (WARD_MASTER_KEY). Secrets the
-- control plane itself must keep (IdP client secrets) are sealed with it; upstream
-- credentials never reach the control plane (docs/design/003-where-secrets-live.md).
CREATE TABLE tenant_keys (
    tenant_id     uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    master_key_id text NOT NULL,
    wrapped_key   bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- A person as the tenant's identity provider knows them; created on first sign-in.
CREATE TABLE users (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    subject      text NOT NULL,
    email        text,
    display_name text,
    idp_alias    text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz,
    row_version  bigint NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, subject)
);

CREATE TABLE groups (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text NOT NULL,
    -- idp: mirrored from the token's groups claim; ward: Ward's own role groups
    source      text NOT NULL DEFAULT 'idp' CHECK (source IN ('idp', 'ward')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    row_version bigint NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, name)
);

CREATE TABLE group_members (
    group_id uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);

CREATE TABLE identity_providers (
    id                   uuid PRIMARY KEY,
    tenant_id            uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    alias                text NOT NULL,
    kind                 text NOT NULL CHECK (kind IN ('oidc', 'saml')),
    display_name         text NOT NULL,
    issuer_url           text,
    metadata_url         text,
    client_id            text,
    -- sealed with the tenant's data key; never returned by the API
    client_secret_sealed bytea,
    -- IdP group name -> Ward group name
    group_mapping        jsonb NOT NULL DEFAULT '{}',
    enabled              boolean NOT NULL DEFAULT true,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    row_version          bigint NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, alias)
);

CREATE TABLE policies (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text NOT NULL,
    description text,
    -- access rules, masking rules, guardrails, approval rules, recording mode
    document    jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    row_version bigint NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);

CREATE TABLE connections (
    id                    uuid PRIMARY KEY,
    tenant_id             uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name                  text NOT NULL,
    kind                  text NOT NULL CHECK (kind IN ('postgres', 'http', 'git', 'mcp', 'llm')),
    listen_host           text NOT NULL,
    listen_port           integer NOT NULL CHECK (listen_port BETWEEN 1 AND 65535),
    target                text NOT NULL,
    database_name         text,
    username              text,
    -- env:NAME or file:/path, resolved by the agent; never the secret itself
    secret_ref            text,
    upstream_tls          text NOT NULL CHECK (upstream_tls IN ('disable', 'require', 'verify-full')),
    policy_id             uuid,
    recording_mode        text NOT NULL CHECK (recording_mode IN ('strict', 'best-effort')),
    offline_mode          text NOT NULL CHECK (offline_mode IN ('fail-open', 'fail-closed')),
    allow_plaintext_grant boolean NOT NULL DEFAULT false,
    credential_style      text,
    options               jsonb NOT NULL DEFAULT '{}',
    -- comma-separated agent names that serve this connection; empty = every agent
    agent_names           text NOT NULL DEFAULT '',
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    row_version           bigint NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, name),
    -- the policy must be the same tenant's, and cannot be deleted while in use
    FOREIGN KEY (tenant_id, policy_id) REFERENCES policies (tenant_id, id)
);
CREATE INDEX connections_policy ON connections (policy_id);

-- The index of recorded sessions; the recordings themselves live in object storage.
CREATE TABLE sessions (
    id               uuid PRIMARY KEY,
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    agent_id         uuid REFERENCES agents (id) ON DELETE SET NULL,
    connection_id    uuid REFERENCES connections (id) ON DELETE SET NULL,
    work_session_id  text,
    subject          text,
    email            text,
    actor            text,
    state            text NOT NULL CHECK (state IN ('started', 'ended', 'interrupted')),
    started_at       timestamptz NOT NULL,
    ended_at         timestamptz,
    statement_count  bigint NOT NULL DEFAULT 0,
    masked_count     bigint NOT NULL DEFAULT 0,
    blocked_count    bigint NOT NULL DEFAULT 0,
    recording_prefix text,
    policy_version   bigint,
    search_text      text
);
CREATE INDEX sessions_tenant_started ON sessions (tenant_id, started_at DESC);

CREATE TABLE approvals (
    id             uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    request_id     text NOT NULL,
    session_id     uuid REFERENCES sessions (id) ON DELETE SET NULL,
    connection_id  uuid REFERENCES connections (id) ON DELETE SET NULL,
    subject        text,
    email          text,
    actor          text,
    kind           text,
    operation      text NOT NULL,
    operation_hash text NOT NULL,
    rule           text,
    approver_group text,
    min_approvals  integer NOT NULL DEFAULT 1,
    state          text NOT NULL CHECK (state IN ('pending', 'approved', 'denied', 'expired', 'cancelled')),
    requested_at   timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz,
    decided_at     timestamptz,
    decided_by     text,
    reason         text,
    row_version    bigint NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, request_id)
);
CREATE INDEX approvals_tenant_state ON approvals (tenant_id, state, requested_at DESC);

-- Every administrative change: who, when, what, the object before and after (secrets
-- omitted). Written in the same transaction as the change.
CREATE TABLE audit_events (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    action      text NOT NULL,
    target_type text NOT NULL,
    target_id   text,
    before      jsonb,
    after       jsonb
);
CREATE INDEX audit_events_tenant_time ON audit_events (tenant_id, occurred_at DESC);
