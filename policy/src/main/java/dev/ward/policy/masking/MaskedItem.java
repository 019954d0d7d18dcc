package dev.ward.policy.masking;

/**
 * One entry of the masking manifest: which rule masked how many values where, and how. It carries
 * no value, masked or not, so it may be recorded and shown freely.
 */
public record MaskedItem(String ruleId, Location location, int count, String strategy) {}
