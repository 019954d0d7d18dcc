package dev.ward.agent.session;

/**
 * The searchable text of one session: the statements it ran, one per line, cut at a fixed number of
 * characters so a long session cannot grow its index entry without bound. Built from what the
 * recording holds, which the policy has already masked.
 */
final class SearchText {

  private final int limit;
  private final StringBuilder text = new StringBuilder();

  SearchText(int limit) {
    this.limit = limit;
  }

  synchronized void add(String statement) {
    if (statement == null || statement.isBlank() || text.length() >= limit) {
      return;
    }
    if (!text.isEmpty()) {
      text.append('\n');
    }
    String line = statement.strip();
    int room = limit - text.length();
    if (line.length() > room) {
      int end = room;
      // Never split a surrogate pair: the control plane would store a broken character.
      if (end > 0 && Character.isHighSurrogate(line.charAt(end - 1))) {
        end--;
      }
      line = line.substring(0, end);
    }
    text.append(line);
  }

  @Override
  public synchronized String toString() {
    return text.toString();
  }
}
