package dev.ward.policy;

import dev.ward.policy.access.AccessRule;
import dev.ward.policy.access.AccessRules;
import dev.ward.policy.document.PolicyDocument.AccessEntry;
import dev.ward.policy.document.PolicyDocument.ApprovalEntry;
import dev.ward.policy.guardrails.ApprovalRequirement;
import dev.ward.policy.match.Glob;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compiles the {@code access} and {@code approvals} sections. */
final class AccessCompiler {
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);
  static final Duration MAX_TIMEOUT = Duration.ofDays(7);
  static final Duration DEFAULT_MAX_TIME_BOX = Duration.ofHours(1);
  static final Duration MAX_TIME_BOX = Duration.ofDays(1);

  private final Problems problems;
  private final ActionCompiler ids;

  AccessCompiler(Problems problems) {
    this.problems = problems;
    this.ids = new ActionCompiler(Map.of(), problems);
  }

  Map<String, ApprovalRequirement> approvals(List<ApprovalEntry> entries) {
    Map<String, ApprovalRequirement> routes = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; entries != null && i < entries.size(); i++) {
      String base = Problems.pointer("/approvals", i);
      ApprovalEntry e = entries.get(i);
      if (e == null || !ids.checkId(e.id(), Problems.pointer(base, "id"), seen)) {
        continue;
      }
      if (e.approverGroups() == null || e.approverGroups().isEmpty()) {
        problems.add(
            Problems.pointer(base, "approverGroups"),
            "approval route '" + e.id() + "' needs at least one approver group");
        continue;
      }
      int min = e.minApprovals() == null ? 1 : e.minApprovals();
      if (min < 1 || min > 10) {
        problems.add(
            Problems.pointer(base, "minApprovals"),
            "minApprovals must be between 1 and 10, not " + min);
        continue;
      }
      Duration timeout = DEFAULT_TIMEOUT;
      if (e.timeout() != null) {
        try {
          timeout = Duration.parse(e.timeout());
        } catch (DateTimeParseException ex) {
          problems.add(
              Problems.pointer(base, "timeout"),
              "timeout '" + e.timeout() + "' is not an ISO-8601 duration such as PT15M or PT2H");
          continue;
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
          problems.add(
              Problems.pointer(base, "timeout"), "timeout must be positive and at most 7 days");
          continue;
        }
      }
      Duration maxTimeBox = DEFAULT_MAX_TIME_BOX;
      if (e.maxTimeBox() != null) {
        try {
          maxTimeBox = Duration.parse(e.maxTimeBox());
        } catch (DateTimeParseException ex) {
          problems.add(
              Problems.pointer(base, "maxTimeBox"),
              "maxTimeBox '" + e.maxTimeBox() + "' is not an ISO-8601 duration such as PT30M");
          continue;
        }
        if (maxTimeBox.isNegative() || maxTimeBox.compareTo(MAX_TIME_BOX) > 0) {
          problems.add(
              Problems.pointer(base, "maxTimeBox"),
              "maxTimeBox must be between PT0S (no time boxes) and 1 day");
          continue;
        }
      }
      if (e.approverGroups().stream().anyMatch(g -> g == null || g.isBlank() || g.length() > 128)) {
        problems.add(
            Problems.pointer(base, "approverGroups"),
            "approver group names must be 1 to 128 characters");
        continue;
      }
      routes.put(
          e.id(),
          new ApprovalRequirement(
              e.id(),
              e.approverGroups(),
              min,
              timeout,
              Boolean.TRUE.equals(e.selfApproval()),
              maxTimeBox));
    }
    return routes;
  }

  AccessRules access(List<AccessEntry> entries) {
    List<AccessRule> rules = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; entries != null && i < entries.size(); i++) {
      String base = Problems.pointer("/access", i);
      AccessEntry e = entries.get(i);
      if (e == null || !ids.checkId(e.id(), Problems.pointer(base, "id"), seen)) {
        continue;
      }
      if (e.groups() == null || e.groups().isEmpty()) {
        problems.add(
            Problems.pointer(base, "groups"),
            "access rule '" + e.id() + "' needs groups ('*' for everyone)");
        continue;
      }
      if (e.connections() == null || e.connections().isEmpty()) {
        problems.add(
            Problems.pointer(base, "connections"),
            "access rule '" + e.id() + "' needs connections (names, ids or globs; '*' for all)");
        continue;
      }
      String mode = e.mode() == null ? "read-only" : e.mode();
      if (!mode.equals("read-only") && !mode.equals("read-write")) {
        problems.add(
            Problems.pointer(base, "mode"),
            "mode must be read-only or read-write, not '" + mode + "'");
        continue;
      }
      List<Glob> connections = new ArrayList<>();
      for (String c : e.connections()) {
        connections.add(Glob.compile(c == null ? "" : c, (char) 0, false));
      }
      rules.add(
          new AccessRule(e.id(), new HashSet<>(e.groups()), connections, mode.equals("read-only")));
    }
    return new AccessRules(rules);
  }
}
