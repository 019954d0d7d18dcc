package dev.ward.agent.protocol.http;

import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Drops the hop-by-hop headers of RFC 9110 section 7.6.1 when a message crosses the agent. */
final class HopByHop {

  private static final Set<String> NAMES =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host");

  private HopByHop() {}

  /** A copy of the headers without hop-by-hop ones and those the Connection header names. */
  static MultiMap copy(MultiMap headers) {
    Set<String> named = null; // what the Connection header names, usually nothing
    for (String value : headers.getAll("Connection")) {
      for (String name : value.split(",")) {
        if (named == null) {
          named = new HashSet<>();
        }
        named.add(name.strip().toLowerCase(Locale.ROOT));
      }
    }
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (var entry : headers.entries()) {
      String lower = entry.getKey().toLowerCase(Locale.ROOT);
      if (!NAMES.contains(lower) && (named == null || !named.contains(lower))) {
        out.add(entry.getKey(), entry.getValue());
      }
    }
    return out;
  }
}
