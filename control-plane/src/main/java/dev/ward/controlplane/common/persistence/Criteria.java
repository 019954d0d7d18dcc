package dev.ward.controlplane.common.persistence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The filters of a list request as a JPQL condition over alias {@code e} with named parameters.
 * Absent filters (null) are skipped, so a resource can pass every query parameter as it came.
 * Values are always bound as parameters, never written into the query.
 */
public final class Criteria {

  private final List<String> conditions = new ArrayList<>();
  private final Map<String, Object> params = new HashMap<>();

  private Criteria() {}

  /** No filter: every object of the caller's tenant. */
  public static Criteria all() {
    return new Criteria();
  }

  /** {@code e.<path> = value} */
  public Criteria equal(String path, Object value) {
    return add(path, "=", value);
  }

  /** {@code e.<path> >= value} */
  public Criteria atLeast(String path, Object value) {
    return add(path, ">=", value);
  }

  /** {@code e.<path> < value} */
  public Criteria before(String path, Object value) {
    return add(path, "<", value);
  }

  /** {@code e.<path> is not null} when true, {@code is null} when false, nothing when null. */
  public Criteria present(String path, Boolean present) {
    if (present != null) {
      conditions.add("e." + path + (present ? " is not null" : " is null"));
    }
    return this;
  }

  /** Case-insensitive prefix match: {@code lower(e.<path>) like 'value%'}. */
  public Criteria startsWith(String path, String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      return this;
    }
    String escaped =
        prefix.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    String param = next();
    conditions.add("lower(e." + path + ") like :" + param + " escape '\\'");
    params.put(param, escaped + "%");
    return this;
  }

  String condition() {
    return String.join(" and ", conditions);
  }

  Map<String, Object> params() {
    return params;
  }

  private Criteria add(String path, String operator, Object value) {
    if (value == null) {
      return this;
    }
    String param = next();
    conditions.add("e." + path + " " + operator + " :" + param);
    params.put(param, value);
    return this;
  }

  private String next() {
    return "p" + params.size();
  }
}
