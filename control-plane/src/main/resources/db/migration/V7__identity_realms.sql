-- Identity: each signed-up tenant has its own Keycloak realm. Tenants made by the platform
-- bootstrap have none (realm is NULL) and authenticate with API tokens only.
ALTER TABLE tenants ADD COLUMN realm text UNIQUE;
-- provisioning while sign-up creates the realm; ready once it exists. A row left in
-- provisioning by a crash is taken over by the next identical sign-up.
ALTER TABLE tenants ADD COLUMN signup_state text
    CHECK (signup_state IN ('provisioning', 'ready'));
ALTER TABLE tenants ADD COLUMN signup_email text;

-- Unattended agents authenticate as a confidential client of the tenant realm
-- (client-credentials grant). Each names the human who answers for it.
CREATE TABLE service_accounts (
    id            uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name          text NOT NULL,
    client_id     text NOT NULL,
    -- the sub of the tokens the realm issues to this client
    subject       text NOT NULL,
    owner_user_id uuid NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, subject)
);

-- Sessions of a service account carry the human owner next to the account itself.
ALTER TABLE sessions ADD COLUMN owner_subject text;
ALTER TABLE sessions ADD COLUMN owner_email text;
