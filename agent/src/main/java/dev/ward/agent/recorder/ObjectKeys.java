package dev.ward.agent.recorder;

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
}
