package dev.ward.agent.protocol;

/**
 * How many cells of one result column one rule masked with one strategy: an entry of the masking
 * manifest a listener records after a statement. It carries no value, masked or not.
 *
 * @param rule the masking rule, e.g. {@code aws-access-key}
 * @param column the column's name, or {@link MaskingTally#OTHER_COLUMNS} past the tally's bound
 * @param strategy how the values were replaced, e.g. {@code redact}
 * @param count how many values were masked
 */
public record MaskedCells(String rule, String column, String strategy, int count) {}
