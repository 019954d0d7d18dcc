package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.agent.recorder.RecordingDownloader;
import dev.ward.proto.recording.v1.Event;
import dev.ward.recording.DirectorySource;
import dev.ward.recording.RecordingReader;
import dev.ward.recording.RecordingVerifier;
import dev.ward.recording.TrustedKeys;
import dev.ward.recording.Verdict;
import dev.ward.recording.store.MinioObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowingConsumer;

/**
 * The sessions a {@link ControlPlaneFixture} indexed, as the tests check them: found by actor,
 * verified until the expected verdict (never TAMPERED), replayed event by event; and the recordings
 * in the fixture's bucket, downloaded and verified here.
 */
final class RecordedSessions {

  private final ControlPlaneFixture cp;

  RecordedSessions(ControlPlaneFixture cp) {
    this.cp = cp;
  }

  /** The id of the one session in the index acted by {@code actor}, as the index shows it now. */
  String idOf(String actor) throws IOException {
    JsonNode items = cp.api.get("/api/v1/sessions?actor=" + actor).expect(200).get("items");
    assertThat(items).as(actor).hasSize(1);
    return items.get(0).get("id").asText();
  }

  /** The id of the one session acted by {@code actor}, once the index has exactly one. */
  String awaitIdOf(String actor) {
    String[] id = new String[1];
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> id[0] = idOf(actor));
    return id[0];
  }

  /** Verifies the session until the verdict is {@code expected}; no poll may answer TAMPERED. */
  JsonNode verifiedAs(String session, String expected) {
    return verifiedUntil(() -> session, session, expected, verdict -> {});
  }

  /**
   * Verifies the actor's one session until the verdict is {@code expected} and {@code also} holds
   * for it; no poll may answer TAMPERED.
   */
  JsonNode ofActorVerifiedAs(String actor, String expected, ThrowingConsumer<JsonNode> also) {
    return verifiedUntil(() -> idOf(actor), actor, expected, also);
  }

  JsonNode ofActorVerifiedAs(String actor, String expected) {
    return ofActorVerifiedAs(actor, expected, verdict -> {});
  }

  private interface SessionId {
    String get() throws IOException;
  }

  private JsonNode verifiedUntil(
      SessionId session, String what, String expected, ThrowingConsumer<JsonNode> also) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        // a TAMPERED answer ends the wait at once: it must never be seen, not only not last
        .failFast(
            what + " was verified TAMPERED",
            () -> last[0] != null && "TAMPERED".equals(last[0].get("integrity").asText()))
        .untilAsserted(
            () -> {
              JsonNode v =
                  cp.api
                      .post("/api/v1/sessions/" + session.get() + "/verify", Map.of())
                      .expect(200);
              last[0] = v;
              String integrity = v.get("integrity").asText();
              assertThat(integrity).as(what + " " + v).isEqualTo(expected);
              also.accept(v);
            });
    return last[0];
  }

  /** Every replayed event of the session, page by page. */
  List<JsonNode> replay(String session) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    long after = 0;
    for (int pages = 0; pages < 100; pages++) {
      JsonNode page =
          cp.api.get("/api/v1/sessions/" + session + "/events?limit=25&after=" + after).expect(200);
      page.get("items").forEach(events::add);
      if (page.get("next").isNull()) {
        return events;
      }
      after = page.get("next").asLong();
    }
    throw new AssertionError("replay did not end");
  }

  /**
   * Every recording in the fixture's bucket that has its manifest, downloaded and read; each must
   * verify INTACT against the key the agent named {@code agentName} announced to the control plane
   * (its private half is sealed on the agent's disk).
   */
  List<List<Event>> inBucket(String agentName) throws Exception {
    var key = TrustedKeys.parse(cp.agent(agentName).get("recordingPublicKey").asText());
    List<List<Event>> recordings = new ArrayList<>();
    try (MinioObjectStore store =
        new MinioObjectStore(
            cp.s3.endpoint(),
            "",
            ControlPlaneFixture.RECORDINGS_BUCKET,
            cp.s3.accessKey(),
            cp.s3.secretKey(),
            false)) {
      for (var o : store.list("")) {
        if (!o.key().endsWith("manifest.wman")) {
          continue;
        }
        // tenants/<tenant>/sessions/<session>/manifest.wman
        String[] parts = o.key().split("/");
        Path dir = Files.createTempDirectory("ward-rec-");
        new RecordingDownloader(store).download(parts[1], parts[parts.length - 2], dir);
        Verdict v = RecordingVerifier.verifyDirectory(dir, List.of(key));
        assertThat(v.status()).as(v.describe()).isEqualTo(Verdict.Status.INTACT);
        recordings.add(new RecordingReader(new DirectorySource(dir)).readAll(10_000));
      }
    }
    return recordings;
  }
}
