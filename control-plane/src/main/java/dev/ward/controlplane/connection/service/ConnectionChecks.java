package dev.ward.controlplane.connection.service;

import dev.ward.controlplane.common.ProblemBody.FieldError;
import dev.ward.controlplane.connection.Connection;
import dev.ward.controlplane.connection.rest.ConnectionInput;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** The rules of a connection that Bean Validation cannot express: they depend on other fields. */
final class ConnectionChecks {

  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.\\-]+:\\d{1,5}");
  private static final int MAX_OPTION_KEY = 64;
  private static final int MAX_OPTION_VALUE = 1024;

  private ConnectionChecks() {}

  /** The fields that are invalid given the others; empty when the input is consistent. */
  static List<FieldError> problems(ConnectionInput in) {
    List<FieldError> errors = new ArrayList<>();
    if (in.kind() != null && in.target() != null) {
      if (in.kind().equals("postgres")) {
        if (!HOST_PORT.matcher(in.target()).matches()) {
          errors.add(new FieldError("target", "host:port of the PostgreSQL server, e.g. db:5432"));
        }
      } else if (!isHttpUrl(in.target())) {
        errors.add(
            new FieldError("target", "an http:// or https:// base URL, e.g. https://api.internal"));
      }
    }
    if (in.database() != null && in.kind() != null && !in.kind().equals("postgres")) {
      errors.add(new FieldError("database", "only postgres connections have a database"));
    }
    if (in.options() != null) {
      for (Map.Entry<String, String> option : in.options().entrySet()) {
        String key = option.getKey();
        if (key == null || key.isBlank() || key.length() > MAX_OPTION_KEY) {
          errors.add(new FieldError("options", "option names have 1 to 64 characters"));
        } else if (option.getValue() == null || option.getValue().length() > MAX_OPTION_VALUE) {
          errors.add(new FieldError("options." + key, "a text of at most 1024 characters"));
        }
      }
    }
    return errors;
  }

  /**
   * Another connection that the same agent would have to listen for on the same port, if any. Two
   * connections share an agent when either is served by every agent or their agent lists overlap.
   */
  static Optional<Connection> portConflict(
      Collection<Connection> samePort, UUID self, List<String> agents) {
    return samePort.stream()
        .filter(other -> !other.id.equals(self))
        .filter(
            other ->
                agents.isEmpty()
                    || other.agents().isEmpty()
                    || other.agents().stream().anyMatch(agents::contains))
        .findFirst();
  }

  private static boolean isHttpUrl(String value) {
    try {
      URI uri = new URI(value);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
