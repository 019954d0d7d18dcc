package dev.ward.controlplane.security;

/** The roles an API caller can hold; tenant roles mirror the tenant realm's groups. */
public final class Roles {

  /** Operates the Ward installation itself: creates tenants before sign-up exists. */
  public static final String PLATFORM_ADMIN = "platform-admin";

  public static final String ADMIN = "ward-admins";
  public static final String APPROVER = "ward-approvers";
  public static final String AUDITOR = "ward-auditors";
  public static final String MEMBER = "ward-members";

  /** Attribute of the security identity that holds the caller's tenant id. */
  public static final String TENANT_ATTRIBUTE = "ward.tenant";

  private Roles() {}
}
