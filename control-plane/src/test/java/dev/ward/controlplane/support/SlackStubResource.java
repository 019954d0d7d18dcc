package dev.ward.controlplane.support;

import dev.ward.stack.SlackStub;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A local Slack API stub for the control plane under test (ward.slack.api-url points at it). */
public class SlackStubResource implements QuarkusTestResourceLifecycleManager {

  public static final String BOT_TOKEN = "xoxb-test-bot-0000";
  private static volatile SlackStub stub;

  /** The running stub. */
  public static SlackStub stub() {
    return stub;
  }

  @Override
  public Map<String, String> start() {
    try {
      stub = new SlackStub(BOT_TOKEN);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return Map.of("ward.slack.api-url", stub.apiUrl());
  }

  @Override
  public void stop() {
    if (stub != null) {
      stub.close();
    }
  }
}
