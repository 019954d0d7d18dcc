package dev.ward.controlplane.common.persistence;

import dev.ward.controlplane.common.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields a list may be sorted by (API name to entity path) and its default order. Turns the
 * caller's {@code sort} parameter into an ORDER BY clause; only declared fields can reach the
 * query, so the parameter cannot inject anything.
 */
public final class Sorting {

  private static final int MAX_KEYS = 3;

  private final Map<String, String> fields;
  private final String defaultSort;

  private Sorting(Map<String, String> fields, String defaultSort) {
    this.fields = fields;
    this.defaultSort = defaultSort;
  }

  /**
   * @param defaultSort the order when the caller gives none, in the parameter's syntax
   * @param fields API field name to entity attribute, e.g. {@code "createdAt" -> "createdAt"}
   */
  public static Sorting by(String defaultSort, Map<String, String> fields) {
    return new Sorting(new LinkedHashMap<>(fields), defaultSort);
  }

  /** The ORDER BY clause over alias {@code e}; the id breaks ties so pages never overlap. */
  public String orderBy(String requested) {
    String sort = requested == null ? defaultSort : requested;
    List<String> keys = new ArrayList<>();
    for (String raw : sort.split(",")) {
      String key = raw.trim();
      boolean descending = key.startsWith("-");
      String name = descending || key.startsWith("+") ? key.substring(1) : key;
      String path = fields.get(name);
      if (path == null || keys.size() == MAX_KEYS) {
        throw Problem.invalidField(
            "sort",
            "sort by up to "
                + MAX_KEYS
                + " of "
                + String.join(", ", fields.keySet())
                + ", comma-separated; prefix a field with - for descending order");
      }
      keys.add("e." + path + (descending ? " desc" : " asc"));
    }
    keys.add("e.id asc");
    return String.join(", ", keys);
  }
}
