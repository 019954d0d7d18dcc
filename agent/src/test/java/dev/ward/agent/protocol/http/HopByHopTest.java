package dev.ward.agent.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class HopByHopTest {

  @Test
  void dropsHopByHopHeadersAndThoseTheConnectionHeaderNamesKeepsTheRest() {
    MultiMap in =
        MultiMap.caseInsensitiveMultiMap()
            .add("Host", "api.internal")
            .add("Connection", "keep-alive, X-Hop")
            .add("Keep-Alive", "timeout=5")
            .add("Transfer-Encoding", "chunked")
            .add("x-hop", "dropped")
            .add("Accept", "application/json")
            .add("X-Request-Id", "r1")
            .add("X-Request-Id", "r2");

    MultiMap out = HopByHop.copy(in);

    assertThat(out.names())
        .containsExactlyInAnyOrder("Accept", "X-Request-Id")
        .doesNotContain("Host", "Connection", "Keep-Alive", "Transfer-Encoding", "x-hop");
    assertThat(out.getAll("x-request-id")).containsExactly("r1", "r2");
  }

  @Test
  void withoutAConnectionHeaderOnlyTheFixedSetIsDropped() {
    MultiMap in =
        MultiMap.caseInsensitiveMultiMap()
            .add("UPGRADE", "websocket")
            .add("TE", "trailers")
            .add("Content-Type", "text/plain");

    assertThat(HopByHop.copy(in).names()).containsExactly("Content-Type");
  }
}
