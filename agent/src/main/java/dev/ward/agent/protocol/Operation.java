package dev.ward.agent.protocol;

import java.util.List;

/**
 * What a client asks the upstream to do, as policy sees it.
 *
 * @param mode how it was sent, e.g. {@code simple}, {@code extended}, {@code function-call}
 * @param text the statement text (for a function call, {@code function <oid>})
 * @param parameters bound parameters as text, when known at inspection time; empty otherwise
 */
public record Operation(String mode, String text, List<String> parameters) {

  public Operation {
    parameters = List.copyOf(parameters);
  }
}
