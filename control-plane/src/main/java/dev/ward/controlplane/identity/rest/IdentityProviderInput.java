package dev.ward.controlplane.identity.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * An identity provider as an admin writes it. {@code clientSecret} is write-only: on replace, leave
 * it out (null) to keep the stored one, or send an empty string to remove it. A SAML provider is
 * given by {@code metadataUrl} or by its metadata document in {@code metadataXml}.
 */
public record IdentityProviderInput(
    @NotBlank
        @Size(max = 63)
        @Pattern(
            regexp = "[a-z0-9]([a-z0-9-]*[a-z0-9])?",
            message = "use lower-case letters, digits and dashes")
        String alias,
    @NotNull(message = "choose oidc or saml")
        @Pattern(regexp = "oidc|saml", message = "choose oidc or saml")
        String kind,
    @NotBlank @Size(max = 200) String displayName,
    @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "an http(s) URL")
        String issuerUrl,
    @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "an http(s) URL")
        String metadataUrl,
    @Size(max = 200_000, message = "at most 200000 characters") String metadataXml,
    @Size(max = 255) String clientId,
    @Size(max = 4096) String clientSecret,
    @Size(max = 200, message = "at most 200 group mappings") Map<String, String> groupMapping,
    Boolean enabled) {}
