package dev.ward.controlplane.approval.service;

import java.util.Set;

/**
 * Someone deciding on a request: who they are (subject as grants name it, and email) and the groups
 * they are in.
 *
 * @param via where they decided: {@code api} or {@code slack}
 */
public record Approver(
    String subject, String email, Set<String> groups, boolean admin, String via) {

  /** How decisions and the audit log name them: the email when known. */
  public String name() {
    return email != null && !email.isBlank() ? email : subject;
  }

  /** Whether they are the engineer behind the request. */
  boolean requested(ApprovalRecord a) {
    return subject.equals(a.subject())
        || (email != null && !email.isBlank() && email.equalsIgnoreCase(a.email()));
  }
}
