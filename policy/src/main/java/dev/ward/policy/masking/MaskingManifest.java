package dev.ward.policy.masking;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What was masked in one text, row set or document: the list the recording keeps. */
public final class MaskingManifest {
  /** The manifest of nothing masked. */
  public static final MaskingManifest EMPTY = new MaskingManifest(List.of());

  private final List<MaskedItem> items;

  private MaskingManifest(List<MaskedItem> items) {
    this.items = items;
  }

  /** The entries, in the order values were first masked. */
  public List<MaskedItem> items() {
    return items;
  }

  /** Whether nothing was masked. */
  public boolean isEmpty() {
    return items.isEmpty();
  }

  /** Total number of values masked. */
  public int maskedCount() {
    int total = 0;
    for (MaskedItem item : items) {
      total += item.count();
    }
    return total;
  }

  /** A new, empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    return "MaskingManifest" + items;
  }

  /**
   * Collects masked values, counting repeats of one rule at one place (all of a free text counts as
   * one place, located at its first occurrence). Not thread-safe.
   */
  public static final class Builder {
    private Map<String, int[]> counts;
    private List<MaskedItem> order;

    /** Records one masked value. */
    public void add(String ruleId, Location location, String strategy) {
      if (counts == null) {
        counts = new LinkedHashMap<>();
        order = new ArrayList<>();
      }
      String key = ruleId + '\u0000' + strategy + '\u0000' + placeKey(location);
      int[] count = counts.get(key);
      if (count == null) {
        counts.put(key, new int[] {1});
        order.add(new MaskedItem(ruleId, location, 0, strategy));
      } else {
        count[0]++;
      }
    }

    /** Whether nothing has been recorded. */
    public boolean isEmpty() {
      return counts == null;
    }

    /** The manifest so far. */
    public MaskingManifest build() {
      if (counts == null) {
        return EMPTY;
      }
      List<MaskedItem> items = new ArrayList<>(order.size());
      for (MaskedItem item : order) {
        String key =
            item.ruleId() + '\u0000' + item.strategy() + '\u0000' + placeKey(item.location());
        items.add(
            new MaskedItem(item.ruleId(), item.location(), counts.get(key)[0], item.strategy()));
      }
      return new MaskingManifest(List.copyOf(items));
    }

    private static String placeKey(Location location) {
      return switch (location) {
        case Location.Text t -> "text";
        case Location.Cell c -> "cell\u0000" + c.column() + '\u0000' + c.row();
        case Location.JsonPath j -> "json\u0000" + j.path();
      };
    }
  }
}
