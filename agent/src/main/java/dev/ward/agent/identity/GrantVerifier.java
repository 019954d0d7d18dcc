package dev.ward.agent.identity;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.agent.identity.GrantRejectedException.Reason;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.channel.v1.GrantKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies Ward grants offline: compact JWS tokens signed with the tenant's Ed25519 key, checked
 * against the public keys and revocations of the config snapshot in force. Thread-safe; listeners
 * call it on their event loop. An Ed25519 verify costs about a millisecond of CPU, and an HTTP
 * client presents the same grant with every request, so a token whose signature checked out is
 * remembered (by its SHA-256, bounded) together with the key that verified it; a remembered token
 * skips only the signature: its tenant, audience, lifetime and revocation are checked on every call
 * against the snapshot in force, and it is forgotten the moment its key is no longer trusted.
 */
public final class GrantVerifier {

  /** Tokens longer than this are refused before any parsing. */
  public static final int MAX_TOKEN_LENGTH = 8 * 1024;

  /** How far the agent's clock may disagree with the issuer's. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    JSON.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(4096).build());
  }

  /** Most verified tokens remembered; past this the memory is cleared and fills again. */
  static final int MAX_REMEMBERED = 10_000;

  private record Keys(String tenantId, Map<String, PublicKey> byId, Set<String> revoked) {}

  private record Verified(String keyId, PublicKey key, JsonNode claims) {}

  private final Map<ByteBuffer, Verified> verified = new ConcurrentHashMap<>();

  private final Clock clock;
  private volatile Keys keys = new Keys("", Map.of(), Set.of());
  // Parsed keys by their Base64 text, so an unchanged snapshot costs no key parsing.
  private Map<String, PublicKey> parsedKeys = Map.of();

  public GrantVerifier(Clock clock) {
    this.clock = clock;
  }

  /** A verifier on the system clock that trusts the keys of the given snapshot. */
  public static GrantVerifier of(ConfigSnapshot snapshot) {
    GrantVerifier verifier = new GrantVerifier(Clock.systemUTC());
    verifier.update(snapshot);
    return verifier;
  }

  /**
   * Trusts the tenant, keys and revocations of a new snapshot from now on. Keys past their {@code
   * not_after} and keys of other algorithms are left out.
   *
   * @throws IllegalArgumentException when a key cannot be parsed (the snapshot should be rejected)
   */
  public synchronized void update(ConfigSnapshot snapshot) {
    Map<String, PublicKey> byId = new HashMap<>();
    Map<String, PublicKey> parsed = new HashMap<>();
    for (GrantKey k : snapshot.getGrantKeysList()) {
      if (!k.getAlgorithm().isEmpty() && !"Ed25519".equalsIgnoreCase(k.getAlgorithm())) {
        continue;
      }
      if (k.getNotAfterUnix() > 0 && k.getNotAfterUnix() < clock.instant().getEpochSecond()) {
        continue;
      }
      PublicKey key = parsedKeys.get(k.getPublicKey());
      key = key != null ? key : parse(k);
      parsed.put(k.getPublicKey(), key);
      byId.put(k.getKeyId(), key);
    }
    parsedKeys = parsed;
    keys =
        new Keys(
            snapshot.getTenantId(),
            Map.copyOf(byId),
            Set.copyOf(snapshot.getRevokedGrantIdsList()));
  }

  /** Revokes grant ids or work-session ids before they expire (from a revocation message). */
  public synchronized void revoke(Collection<String> grantOrWorkSessionIds) {
    Keys current = keys;
    Set<String> revoked = new HashSet<>(current.revoked());
    revoked.addAll(grantOrWorkSessionIds);
    keys = new Keys(current.tenantId(), current.byId(), Set.copyOf(revoked));
  }

  /**
   * Verifies a token for one connection.
   *
   * @param token the compact JWS the client presented
   * @param connectionId the connection being opened; must be the grant's audience
   * @return the grant, when every check passes
   * @throws GrantRejectedException naming what is wrong, in words for the client
   */
  public Grant verify(String token, String connectionId) throws GrantRejectedException {
    if (token == null || token.isEmpty()) {
      throw new GrantRejectedException(Reason.MALFORMED, "no Ward grant was presented");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new GrantRejectedException(Reason.OVERSIZED, "the Ward grant is too long");
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
      throw malformed();
    }
    Keys current = keys;
    ByteBuffer digest = digest(token);
    Verified known = verified.get(digest);
    if (known != null && current.byId().get(known.keyId()) == known.key()) {
      return check(known.claims(), connectionId, current);
    }
    JsonNode header = decodeJson(token.substring(0, first));
    if (!"EdDSA".equals(header.path("alg").asText()) || header.has("crit")) {
      throw new GrantRejectedException(
          Reason.UNSUPPORTED_ALGORITHM, "the Ward grant is not signed the way Ward signs grants");
    }
    PublicKey key = current.byId().get(header.path("kid").asText(""));
    if (key == null) {
      throw new GrantRejectedException(
          Reason.UNKNOWN_KEY, "the Ward grant was signed by a key this agent does not trust");
    }
    byte[] signature = decode(token.substring(second + 1));
    if (!signatureMatches(key, token.substring(0, second), signature)) {
      throw new GrantRejectedException(
          Reason.BAD_SIGNATURE, "the Ward grant's signature is not valid");
    }
    JsonNode claims = decodeJson(token.substring(first + 1, second));
    Grant grant = check(claims, connectionId, current);
    if (verified.size() >= MAX_REMEMBERED) {
      verified.clear();
    }
    verified.put(digest, new Verified(header.path("kid").asText(""), key, claims));
    return grant;
  }

  // one SHA-256 per event loop thread: getInstance per token cost as much as the hash itself
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException(e);
            }
          });

  private static ByteBuffer digest(String token) {
    return ByteBuffer.wrap(SHA256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  private Grant check(JsonNode claims, String connectionId, Keys current)
      throws GrantRejectedException {
    String tenant = claims.path("tid").asText("");
    if (!current.tenantId().isEmpty() && !current.tenantId().equals(tenant)) {
      throw new GrantRejectedException(
          Reason.OTHER_TENANT, "the Ward grant belongs to another organisation");
    }
    if (!audienceContains(claims.get("aud"), connectionId)) {
      throw new GrantRejectedException(
          Reason.WRONG_AUDIENCE, "the Ward grant is for another connection");
    }
    Instant now = clock.instant();
    if (!claims.path("exp").isNumber() || !claims.path("sub").isTextual()) {
      throw malformed();
    }
    Instant expires = Instant.ofEpochSecond(claims.get("exp").asLong());
    if (now.isAfter(expires.plus(CLOCK_SKEW))) {
      throw new GrantRejectedException(Reason.EXPIRED, "the Ward grant has expired");
    }
    Instant issued = Instant.ofEpochSecond(claims.path("iat").asLong(0));
    Instant notBefore = Instant.ofEpochSecond(claims.path("nbf").asLong(0));
    if (issued.minus(CLOCK_SKEW).isAfter(now) || notBefore.minus(CLOCK_SKEW).isAfter(now)) {
      throw new GrantRejectedException(Reason.NOT_YET_VALID, "the Ward grant is not valid yet");
    }
    String grantId = claims.path("jti").asText("");
    String workSession = claims.path("sid").asText("");
    if ((!grantId.isEmpty() && current.revoked().contains(grantId))
        || (!workSession.isEmpty() && current.revoked().contains(workSession))) {
      throw new GrantRejectedException(Reason.REVOKED, "the Ward grant has been revoked");
    }
    List<String> groups = new ArrayList<>();
    claims.path("groups").forEach(g -> groups.add(g.asText()));
    return new Grant(
        grantId,
        claims.path("iss").asText(""),
        tenant,
        claims.get("sub").asText(),
        claims.path("email").asText(""),
        groups,
        claims.path("act").path("sub").asText(""),
        claims.path("owner").asText(""),
        workSession,
        connectionId,
        issued,
        expires);
  }

  private static boolean audienceContains(JsonNode aud, String connectionId) {
    if (aud == null || connectionId == null || connectionId.isEmpty()) {
      return false;
    }
    if (aud.isTextual()) {
      return aud.asText().equals(connectionId);
    }
    if (aud.isArray()) {
      for (JsonNode a : aud) {
        if (a.isTextual() && a.asText().equals(connectionId)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean signatureMatches(PublicKey key, String signedPart, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(signedPart.getBytes(StandardCharsets.US_ASCII));
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static JsonNode decodeJson(String part) throws GrantRejectedException {
    try {
      JsonNode node = JSON.readTree(decode(part));
      if (node == null || !node.isObject()) {
        throw malformed();
      }
      return node;
    } catch (IOException e) {
      throw malformed();
    }
  }

  private static byte[] decode(String part) throws GrantRejectedException {
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw malformed();
    }
  }

  private static GrantRejectedException malformed() {
    return new GrantRejectedException(Reason.MALFORMED, "the password is not a valid Ward grant");
  }

  private static PublicKey parse(GrantKey k) {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(k.getPublicKey())));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("grant key " + k.getKeyId() + " is not an Ed25519 key");
    }
  }
}
