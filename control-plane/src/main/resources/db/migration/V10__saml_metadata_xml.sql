-- A SAML identity provider can be given by its metadata document instead of a metadata URL.
-- The document is kept so a replace re-applies it; entity id and sign-in URL are what it named.
ALTER TABLE identity_providers
    ADD COLUMN metadata_xml   text,
    ADD COLUMN saml_entity_id text,
    ADD COLUMN saml_sso_url   text;
