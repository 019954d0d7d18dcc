package dev.ward.controlplane.common.web;

import dev.ward.controlplane.common.ProblemMapper;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Rate limits on the endpoints worth guessing or flooding: sign-up and sign-in per client address,
 * grant minting per caller. Applied by path, before authentication and routing, so an endpoint
 * added under a limited path is covered from its first day. Over the limit a caller gets 429
 * problem+json with Retry-After.
 */
@ApplicationScoped
public class RateLimits {

  private static final Logger LOG = Logger.getLogger(RateLimits.class);

  /** Above this many tracked callers, full buckets are forgotten; memory stays bounded. */
  static final int MAX_BUCKETS = 100_000;

  /** One limited family of requests. */
  record Rule(
      String name, Pattern path, boolean postOnly, boolean perCaller, int burst, double perMinute) {
    boolean matches(HttpMethod method, String requestPath) {
      return (!postOnly || method == HttpMethod.POST) && path.matcher(requestPath).matches();
    }
  }

  private final List<Rule> rules;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  public RateLimits(
      @ConfigProperty(name = "ward.rate-limit.signup.burst", defaultValue = "10") int signupBurst,
      @ConfigProperty(name = "ward.rate-limit.signup.per-minute", defaultValue = "10")
          double signupPerMinute,
      @ConfigProperty(name = "ward.rate-limit.login.burst", defaultValue = "60") int loginBurst,
      @ConfigProperty(name = "ward.rate-limit.login.per-minute", defaultValue = "60")
          double loginPerMinute,
      @ConfigProperty(name = "ward.rate-limit.grants.burst", defaultValue = "60") int grantBurst,
      @ConfigProperty(name = "ward.rate-limit.grants.per-minute", defaultValue = "120")
          double grantPerMinute) {
    this.rules =
        List.of(
            new Rule(
                "sign-up",
                Pattern.compile("/api/v1/sign-?up(/.*)?"),
                true,
                false,
                signupBurst,
                signupPerMinute),
            new Rule(
                "login",
                Pattern.compile("/api/v1/(auth|login)(/.*)?"),
                false,
                false,
                loginBurst,
                loginPerMinute),
            new Rule(
                "grants",
                Pattern.compile("/api/v1/connections/[^/]+/grants/?"),
                true,
                true,
                grantBurst,
                grantPerMinute));
  }

  void register(@Observes Filters filters) {
    // Before authentication and the REST layer: a flood costs a map lookup, not a token check.
    filters.register(this::filter, 200);
  }

  void filter(RoutingContext rc) {
    String path = rc.normalizedPath();
    for (Rule rule : rules) {
      if (rule.matches(rc.request().method(), path)) {
        long wait = take(rule, caller(rule, rc), System.nanoTime());
        if (wait > 0) {
          refuse(rc, rule, wait);
          return;
        }
        break;
      }
    }
    rc.next();
  }

  /** Takes a token of the caller's bucket for the rule: 0 when allowed, else nanos to wait. */
  long take(Rule rule, String caller, long now) {
    if (buckets.size() > MAX_BUCKETS) {
      buckets.values().removeIf(b -> b.full(now));
    }
    return buckets
        .computeIfAbsent(
            rule.name() + "|" + caller,
            k -> new TokenBucket(rule.burst(), rule.perMinute() / 60d, now))
        .take(now);
  }

  /**
   * Who a request counts against: the caller's bearer token (as a digest, never kept in clear) for
   * per-caller rules when it sends one, else its address.
   */
  private static String caller(Rule rule, RoutingContext rc) {
    if (rule.perCaller()) {
      String auth = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
      if (auth != null && !auth.isBlank()) {
        return "token:" + digest(auth);
      }
    }
    return "address:"
        + (rc.request().remoteAddress() == null
            ? "unknown"
            : rc.request().remoteAddress().hostAddress());
  }

  private static String digest(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void refuse(RoutingContext rc, Rule rule, long waitNanos) {
    long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    LOG.debugf("Rate limit %s reached on %s", rule.name(), rc.normalizedPath());
    JsonObject body =
        new JsonObject()
            .put("type", "https://ward.dev/problems/too-many-requests")
            .put("title", "Too Many Requests")
            .put("status", 429)
            .put(
                "detail",
                "Too many "
                    + rule.name()
                    + " requests from you in a short time; retry in "
                    + seconds
                    + " s.")
            .put("instance", rc.normalizedPath());
    rc.response()
        .setStatusCode(429)
        .putHeader(HttpHeaders.CONTENT_TYPE, ProblemMapper.PROBLEM_JSON)
        .putHeader("Retry-After", String.valueOf(seconds))
        .end(body.encode());
  }
}
