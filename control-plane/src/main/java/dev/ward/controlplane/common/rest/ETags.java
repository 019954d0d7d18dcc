package dev.ward.controlplane.common.rest;

import dev.ward.controlplane.common.Problem;

/**
 * Optimistic locking over HTTP: an object's ETag is its row version, GET returns it, and every
 * update or delete must send it back in If-Match. A missing If-Match is a 428, a stale one a 412,
 * so two admins cannot silently overwrite each other.
 */
public final class ETags {

  private ETags() {}

  /** The ETag of an object at this version. */
  public static String of(long version) {
    return "\"" + version + "\"";
  }

  /** Refuses a write that came without If-Match. */
  public static void requirePresent(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank()) {
      throw Problem.preconditionRequired();
    }
  }

  /** Refuses a write whose If-Match is not the object's current version. */
  public static void requireMatch(String ifMatch, long currentVersion, String what) {
    requirePresent(ifMatch);
    for (String tag : ifMatch.split(",")) {
      String t = tag.trim();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals("*") || t.equals(of(currentVersion))) {
        return;
      }
    }
    throw Problem.preconditionFailed(what);
  }
}
