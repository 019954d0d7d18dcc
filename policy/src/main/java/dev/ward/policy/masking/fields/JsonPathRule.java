package dev.ward.policy.masking.fields;

import dev.ward.policy.masking.MaskingStrategy;

/** Masks the JSON values a path selects, whatever they contain. */
public record JsonPathRule(String ruleId, JsonPath path, MaskingStrategy strategy) {}
