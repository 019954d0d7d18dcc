package dev.ward.controlplane.connection.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A connection as an admin writes it (create or replace). Optional fields left out take the
 * defaults in docs/api.md; there is no field for an upstream password, by design.
 */
public record ConnectionInput(
    @NotBlank
        @Size(max = 63)
        @Pattern(
            regexp = "[a-z0-9]([a-z0-9-]*[a-z0-9])?",
            message = "use lower-case letters, digits and dashes (a DNS label)")
        String name,
    @NotNull(message = "choose one of postgres, http, git, mcp, llm")
        @Pattern(
            regexp = "postgres|http|git|mcp|llm",
            message = "choose one of postgres, http, git, mcp, llm")
        String kind,
    @Size(max = 255)
        @Pattern(
            regexp = "[A-Za-z0-9.:\\-\\[\\]]+",
            message = "a host name or IP address the agent listens on, e.g. 127.0.0.1")
        String listenHost,
    @NotNull(message = "the port the agent listens on, 1 to 65535")
        @Min(value = 1, message = "the port the agent listens on, 1 to 65535")
        @Max(value = 65535, message = "the port the agent listens on, 1 to 65535")
        Integer listenPort,
    @NotBlank @Size(max = 2048) String target,
    @Size(max = 63) String database,
    @Size(max = 128) String username,
    @Size(max = 1024)
        @Pattern(
            regexp = "env:[A-Za-z_][A-Za-z0-9_]*|file:/[^\\x00]+",
            message =
                "env:NAME or file:/absolute/path, resolved by the agent inside your network;"
                    + " never the secret itself")
        String secretRef,
    @Pattern(
            regexp = "disable|require|verify-full",
            message = "choose one of disable, require, verify-full")
        String upstreamTls,
    UUID policyId,
    @Pattern(regexp = "strict|best-effort", message = "choose strict or best-effort")
        String recordingMode,
    @Pattern(regexp = "fail-open|fail-closed", message = "choose fail-open or fail-closed")
        String offlineMode,
    Boolean allowPlaintextGrant,
    @Pattern(
            regexp = "bearer|basic|header:[A-Za-z0-9-]{1,64}",
            message = "choose bearer, basic or header:<Header-Name>")
        String credentialStyle,
    @Size(max = 50, message = "at most 50 options") Map<String, String> options,
    @Size(max = 100, message = "at most 100 agents")
        List<
                @NotBlank @Size(max = 63)
                @Pattern(regexp = "[A-Za-z0-9-]+", message = "an agent name or id") String>
            agents) {}
