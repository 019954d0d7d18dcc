package dev.ward.policy.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class KeywordAutomatonTest {
  private final KeywordAutomaton automaton =
      KeywordAutomaton.build(
          List.of(List.of("ghp_"), List.of("akia", "asia"), List.of("he", "she", "hers")));

  @Test
  void marksEveryDetectorWhoseKeywordOccursWhateverTheCase() {
    long[] hits = new long[1];

    boolean any = automaton.scan("token GHP_abc and AsIa key", hits);

    assertThat(any).isTrue();
    assertThat(hits[0]).isEqualTo(0b011L);
  }

  @Test
  void findsKeywordsThatOverlapThroughFailureLinks() {
    long[] hits = new long[1];

    automaton.scan("ushers", hits);

    assertThat(hits[0]).isEqualTo(0b100L);
  }

  @Test
  void cleanTextHasNoHits() {
    long[] hits = new long[1];

    assertThat(automaton.scan("quiet words only ü", hits)).isFalse();
    assertThat(automaton.anyMatch("plain words only")).isFalse();
    assertThat(hits[0]).isZero();
  }

  @Test
  void nonAsciiCharactersBreakAKeyword() {
    assertThat(automaton.anyMatch("akéia")).isFalse();
    assertThat(automaton.anyMatch("xxakia")).isTrue();
  }

  @Test
  void nonAsciiKeywordIsRejected() {
    assertThatThrownBy(() -> KeywordAutomaton.build(List.of(List.of("clé"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not ASCII");
  }
}
