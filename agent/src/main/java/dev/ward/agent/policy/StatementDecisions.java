package dev.ward.agent.policy;

import dev.ward.policy.guardrails.Decision;
import dev.ward.policy.guardrails.sql.SqlGuardrails;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SQL guardrail decisions of one compiled policy, remembered per statement text. Clients send
 * the same statements again and again (ORMs, pgbench, an agent's polling), and parsing SQL is the
 * costliest step on the hot path; a decision depends only on the text and the session's read-only
 * flag, so it can be reused. Bounded: least recently used entries go first, and long texts are
 * never kept.
 */
final class StatementDecisions {

  static final int CAPACITY = 2048;
  static final int MAX_CACHED_TEXT = 4096;

  private record Key(String text, boolean readOnly) {}

  private final SqlGuardrails guardrails;
  private final Map<Key, Decision> recent =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Decision> eldest) {
          return size() > CAPACITY;
        }
      };

  StatementDecisions(SqlGuardrails guardrails) {
    this.guardrails = guardrails;
  }

  Decision evaluate(String text, boolean readOnly) {
    if (text.length() > MAX_CACHED_TEXT) {
      return guardrails.evaluate(text, readOnly);
    }
    Key key = new Key(text, readOnly);
    synchronized (recent) {
      Decision known = recent.get(key);
      if (known != null) {
        return known;
      }
    }
    Decision decided = guardrails.evaluate(text, readOnly);
    synchronized (recent) {
      recent.put(key, decided);
    }
    return decided;
  }

  int size() {
    synchronized (recent) {
      return recent.size();
    }
  }
}
