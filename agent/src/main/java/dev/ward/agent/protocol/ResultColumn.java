package dev.ward.agent.protocol;

/**
 * One column of a result set.
 *
 * @param name the column name as the upstream reports it
 * @param typeOid the PostgreSQL type OID (or the protocol's equivalent type id)
 * @param binary whether values arrive in binary rather than text form
 */
public record ResultColumn(String name, int typeOid, boolean binary) {}
