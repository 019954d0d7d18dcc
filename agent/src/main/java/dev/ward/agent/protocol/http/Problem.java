package dev.ward.agent.protocol.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * An RFC 9457 problem document, the way the agent answers HTTP clients it refuses: what happened
 * and what to do next, never a stack trace.
 *
 * @param status the HTTP status
 * @param slug the last part of the problem type URI, e.g. {@code guardrail-denied}
 * @param title a short, fixed summary of the problem type
 * @param detail what happened in this case, in words for the user
 * @param rule the policy rule that decided, or empty
 */
public record Problem(int status, String slug, String title, String detail, String rule) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public Problem(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, "");
  }

  /** The problem as JSON. */
  public Buffer body() {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", "https://ward.dev/problems/" + slug);
    node.put("title", title);
    node.put("status", status);
    node.put("detail", detail);
    if (!rule.isEmpty()) {
      node.put("rule", rule);
    }
    return Buffer.buffer(node.toString());
  }

  /** Answers with this problem unless the response has begun; closes after it on errors. */
  public void send(HttpServerResponse response) {
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    Buffer body = body();
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "application/problem+json")
        .putHeader("Content-Length", String.valueOf(body.length()))
        .putHeader("Cache-Control", "no-store");
    if (status == 401) {
      response.putHeader("WWW-Authenticate", "Basic realm=\"Ward\", Bearer realm=\"Ward\"");
    }
    response.end(body);
  }
}
