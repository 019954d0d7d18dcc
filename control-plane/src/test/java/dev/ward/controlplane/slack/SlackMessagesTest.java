package dev.ward.controlplane.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SlackMessagesTest {

  @Test
  void aWaitReadsAsPeopleSayIt() {
    assertThat(SlackMessages.span(Duration.ofMillis(5_900))).isEqualTo("6 seconds");
    assertThat(SlackMessages.span(Duration.ofSeconds(1))).isEqualTo("1 second");
    assertThat(SlackMessages.span(Duration.ofSeconds(90))).isEqualTo("90 seconds");
    assertThat(SlackMessages.span(Duration.ofMinutes(10))).isEqualTo("10 minutes");
    assertThat(SlackMessages.span(Duration.ofMinutes(119))).isEqualTo("119 minutes");
    assertThat(SlackMessages.span(Duration.ofHours(2))).isEqualTo("2 hours");
    assertThat(SlackMessages.span(Duration.ofMinutes(151))).isEqualTo("2 hours 31 minutes");
    assertThat(SlackMessages.span(Duration.ofSeconds(-3))).isEqualTo("0 seconds");
  }

  @Test
  void theDenialFormNamesItsApprovalAndAsksForABoundedReason() {
    UUID id = UUID.randomUUID();
    JsonNode form = SlackMessages.denialForm(id, 500);
    assertThat(form.get("type").asText()).isEqualTo("modal");
    assertThat(SlackMessages.approvalOf(form.get("callback_id").asText())).isEqualTo(id);
    assertThat(form.at("/title/text").asText().length()).isLessThanOrEqualTo(24);
    JsonNode input = form.get("blocks").get(1);
    assertThat(input.get("block_id").asText()).isEqualTo(SlackMessages.REASON);
    assertThat(input.at("/element/action_id").asText()).isEqualTo(SlackMessages.REASON);
    assertThat(input.at("/element/max_length").asInt()).isEqualTo(500);
  }
}
