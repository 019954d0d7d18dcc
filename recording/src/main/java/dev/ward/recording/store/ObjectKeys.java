package dev.ward.recording.store;

import dev.ward.recording.RecordingFormat;

/**
 * Where a session's recording lives in the bucket: {@code
 * tenants/<tenant>/sessions/<session-id>/seg-000001.wseg} … and {@code …/manifest.wman}. Tenant
 * first, so a bucket policy or lifecycle rule can be scoped to one tenant.
 */
public final class ObjectKeys {

  private ObjectKeys() {}

  /** The prefix of every object of one session, ending in a slash. */
  public static String session(String tenant, String sessionId) {
    return "tenants/" + tenant + "/sessions/" + sessionId + "/";
  }

  /** Whether an object name (the part after the session prefix) is one of the format's files. */
  public static boolean isRecordingName(String name) {
    return name.equals(RecordingFormat.MANIFEST_NAME) || RecordingFormat.segmentIndexOf(name) > 0;
  }
}
