package dev.ward.policy;

import java.util.List;

/** A policy document that can not be enforced, with every problem found in it. */
public final class PolicyValidationException extends Exception {
  private final List<PolicyProblem> problems;

  public PolicyValidationException(List<PolicyProblem> problems) {
    super(summary(problems));
    this.problems = List.copyOf(problems);
  }

  /** The problems, each pointing into the document. */
  public List<PolicyProblem> problems() {
    return problems;
  }

  private static String summary(List<PolicyProblem> problems) {
    StringBuilder b = new StringBuilder("policy is not valid: ");
    for (int i = 0; i < problems.size(); i++) {
      if (i > 0) {
        b.append("; ");
      }
      b.append(problems.get(i));
    }
    return b.toString();
  }
}
