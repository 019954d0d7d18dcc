package dev.ward.agent.protocol.postgres;

/** A peer broke the PostgreSQL wire protocol; the session ends with SQLSTATE 08P01. */
final class ProtocolViolation extends RuntimeException {

  ProtocolViolation(String message) {
    super(message, null, false, false);
  }
}
