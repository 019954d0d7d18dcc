package dev.ward.policy;

/**
 * One thing wrong with a policy document.
 *
 * @param pointer JSON pointer (RFC 6901) to the offending value, e.g. {@code
 *     /masking/custom/0/regex}
 * @param message what is wrong and how to fix it
 */
public record PolicyProblem(String pointer, String message) {

  @Override
  public String toString() {
    return (pointer.isEmpty() ? "(document)" : pointer) + ": " + message;
  }
}
