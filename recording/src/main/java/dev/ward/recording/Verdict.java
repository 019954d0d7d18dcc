package dev.ward.recording;

/**
 * What verifying a recording found, precise enough to act on.
 *
 * @param status the overall answer
 * @param tamper what kind of tampering, when {@code status} is {@link Status#TAMPERED}; else null
 * @param segment the segment the finding is about (for {@link Status#TAIL_MISSING}: the last
 *     segment present, after which segments may be missing); 0 for the manifest or none
 * @param sessionId the session, as the recording names it (may be empty when nothing was readable)
 * @param segmentCount segments found
 * @param eventCount events verified, in order
 * @param detail one sentence for a person
 */
public record Verdict(
    Status status,
    Tamper tamper,
    long segment,
    String sessionId,
    long segmentCount,
    long eventCount,
    String detail) {

  /** The overall answer. */
  public enum Status {
    /** Complete, chained, signed by a trusted key, closed normally. */
    INTACT,
    /** Complete and untouched, closed by crash recovery after the agent stopped. */
    INTACT_RECOVERED,
    /**
     * Untouched as far as it goes, but not closed: no manifest, so later segments may be missing
     * (still being uploaded, or lost).
     */
    TAIL_MISSING,
    /** Provably altered; {@link Verdict#tamper()} says how. */
    TAMPERED
  }

  /** How a recording was altered. */
  public enum Tamper {
    /** Bytes of a segment (or the manifest) differ from what was signed and chained. */
    MODIFIED,
    /** A segment was removed from the middle, or from the end while the manifest was kept. */
    MISSING,
    /** Segments are stored under names that do not match their signed positions. */
    REORDERED,
    /** A segment signed for another session was put into this one. */
    FOREIGN_SEGMENT,
    /** The bytes are the ones chained, but the signature does not verify. */
    BAD_SIGNATURE,
    /** Signed by a key the verifier does not trust. */
    UNKNOWN_KEY,
    /** A segment beyond the end the manifest records. */
    UNEXPECTED_SEGMENT,
    /** Signed by a trusted key, yet not a valid recording (sequence or payload broken). */
    MALFORMED
  }

  static Verdict tampered(Tamper kind, long segment, String sessionId, String detail) {
    return new Verdict(Status.TAMPERED, kind, segment, sessionId, 0, 0, detail);
  }

  /** Whether the recording can be trusted as complete. */
  public boolean intact() {
    return status == Status.INTACT || status == Status.INTACT_RECOVERED;
  }

  /** The verdict for a person, on one line. */
  public String describe() {
    String head =
        switch (status) {
          case INTACT -> "INTACT";
          case INTACT_RECOVERED -> "INTACT (closed by crash recovery)";
          case TAIL_MISSING -> "TAIL MISSING after segment " + segment;
          case TAMPERED ->
              "TAMPERED ("
                  + tamper.name().toLowerCase().replace('_', ' ')
                  + (segment > 0 ? ", segment " + segment : ", manifest")
                  + ")";
        };
    return head + ": " + detail;
  }
}
