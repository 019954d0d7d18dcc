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

  /** Case-insensitive substring match: {@code lower(e.<path>) like '%value%'}. */
  public Criteria contains(String path, String text) {
    if (text == null || text.isEmpty()) {
      return this;
    }
    String param = next();
    conditions.add("lower(e." + path + ") like :" + param + " escape '\\'");
    params.put(param, "%" + escapeLike(text.toLowerCase()) + "%");
    return this;
  }

  /** {@code e.<path1> = value or e.<path2> = value ...}: one filter over several fields. */
  public Criteria equalToAny(Object value, String... paths) {
    if (value == null || paths.length == 0) {
      return this;
    }
    String param = next();
    List<String> any = new ArrayList<>();
    for (String path : paths) {
      any.add("e." + path + " = :" + param);
    }
    conditions.add("(" + String.join(" or ", any) + ")");
    params.put(param, value);
    return this;
  }

  private static String escapeLike(String value) {
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
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
