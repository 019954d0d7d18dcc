package dev.ward.controlplane.policy.rest;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A policy as an admin writes it (create or replace). */
public record PolicyInput(
    @NotBlank
        @Size(max = 63)
        @Pattern(
            regexp = "[a-z0-9]([a-z0-9-]*[a-z0-9])?",
            message = "use lower-case letters, digits and dashes")
        String name,
    @Size(max = 1000) String description,
    @NotNull(message = "give the policy document, a JSON object") JsonNode document) {}
