package dev.ward.agent.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MaskingTallyTest {

  @Test
  void cellsAreCountedPerRuleColumnAndStrategyInTheOrderFirstMasked() {
    MaskingTally tally = new MaskingTally();
    tally.add("jwt", "token", "redact", 1);
    tally.add("aws-access-key", "notes", "redact", 1);
    tally.add("jwt", "token", "redact", 2);
    tally.add("jwt", "token", "hmac", 1);

    assertThat(tally.entries())
        .containsExactly(
            new MaskedCells("jwt", "token", "redact", 3),
            new MaskedCells("aws-access-key", "notes", "redact", 1),
            new MaskedCells("jwt", "token", "hmac", 1));
  }

  @Test
  void columnsPastTheBoundAreCountedTogetherSoTheManifestStaysSmall() {
    MaskingTally tally = new MaskingTally();
    for (int c = 0; c < MaskingTally.MAX_ENTRIES + 100; c++) {
      tally.add("jwt", "column" + c, "redact", 1);
    }

    List<MaskedCells> entries = tally.entries();
    assertThat(entries).hasSize(MaskingTally.MAX_ENTRIES + 1);
    assertThat(entries.get(MaskingTally.MAX_ENTRIES))
        .isEqualTo(new MaskedCells("jwt", MaskingTally.OTHER_COLUMNS, "redact", 100));
    assertThat(entries.stream().mapToInt(MaskedCells::count).sum())
        .isEqualTo(MaskingTally.MAX_ENTRIES + 100);
  }

  @Test
  void countsStopAtTheLargestIntRatherThanWrapping() {
    MaskingTally tally = new MaskingTally();
    tally.add("jwt", "token", "redact", Integer.MAX_VALUE);
    tally.add("jwt", "token", "redact", 5);

    assertThat(tally.entries().get(0).count()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void talliesMergeEntryByEntry() {
    MaskingTally first = new MaskingTally();
    first.add("jwt", "token", "redact", 2);
    MaskingTally merged = new MaskingTally();
    merged.addAll(first.entries());
    merged.addAll(List.of(new MaskedCells("jwt", "token", "redact", 3)));

    assertThat(merged.entries()).containsExactly(new MaskedCells("jwt", "token", "redact", 5));
  }
}
