package dev.ward.agent.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.proto.channel.v1.GrantKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Mints grants with a fresh Ed25519 key, for local development and tests until the control plane
 * issues them. The grants are real: {@link GrantVerifier} checks them the same way as the control
 * plane's, given {@link #grantKey()}.
 */
public final class DevGrantSigner {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final KeyPair keys;
  private final String keyId;
  private final String issuer;
  private final String tenantId;

  public DevGrantSigner(String keyId, String issuer, String tenantId) {
    try {
      this.keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
    this.keyId = keyId;
    this.issuer = issuer;
    this.tenantId = tenantId;
  }

  /** The public key to put into a config snapshot's {@code grant_keys}. */
  public GrantKey grantKey() {
    return GrantKey.newBuilder()
        .setKeyId(keyId)
        .setAlgorithm("Ed25519")
        .setPublicKey(Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()))
        .build();
  }

  /** Starts a grant for a connection, for the given engineer. */
  public Minting grant(String connectionId, String subject) {
    return new Minting(connectionId, subject);
  }

  /** Signs any header and claims as they are; tests use it to forge unusual tokens. */
  public String sign(ObjectNode header, ObjectNode claims) {
    try {
      String signed =
          B64URL.encodeToString(JSON.writeValueAsBytes(header))
              + "."
              + B64URL.encodeToString(JSON.writeValueAsBytes(claims));
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(keys.getPrivate());
      s.update(signed.getBytes(StandardCharsets.US_ASCII));
      return signed + "." + B64URL.encodeToString(s.sign());
    } catch (Exception e) {
      throw new IllegalStateException("could not sign a grant", e);
    }
  }

  /** The standard header: EdDSA, JWT, this signer's key id. */
  public ObjectNode header() {
    return JSON.createObjectNode().put("alg", "EdDSA").put("typ", "JWT").put("kid", keyId);
  }

  /** One grant being minted; every claim has a sensible default. */
  public final class Minting {
    private final String connectionId;
    private final String subject;
    private String email;
    private final List<String> groups = new ArrayList<>();
    private String actor = "";
    private String owner = "";
    private String workSessionId = UUID.randomUUID().toString();
    private String grantId = UUID.randomUUID().toString();
    private String tenant = tenantId;
    private Instant issuedAt = Instant.now();
    private Duration lifetime = Duration.ofMinutes(15);

    private Minting(String connectionId, String subject) {
      this.connectionId = connectionId;
      this.subject = subject;
      this.email = subject + "@example.com";
    }

    public Minting email(String email) {
      this.email = email;
      return this;
    }

    public Minting group(String group) {
      groups.add(group);
      return this;
    }

    /** The AI agent acting for the engineer, e.g. {@code claude-code}. */
    public Minting actor(String actor) {
      this.actor = actor;
      return this;
    }

    public Minting owner(String owner) {
      this.owner = owner;
      return this;
    }

    public Minting workSession(String workSessionId) {
      this.workSessionId = workSessionId;
      return this;
    }

    public Minting grantId(String grantId) {
      this.grantId = grantId;
      return this;
    }

    public Minting tenant(String tenant) {
      this.tenant = tenant;
      return this;
    }

    public Minting issuedAt(Instant issuedAt) {
      this.issuedAt = issuedAt;
      return this;
    }

    public Minting lifetime(Duration lifetime) {
      this.lifetime = lifetime;
      return this;
    }

    /** The claims as they will be signed. */
    public ObjectNode claims() {
      ObjectNode c =
          JSON.createObjectNode()
              .put("iss", issuer)
              .put("tid", tenant)
              .put("sub", subject)
              .put("email", email)
              .put("aud", connectionId)
              .put("sid", workSessionId)
              .put("jti", grantId)
              .put("iat", issuedAt.getEpochSecond())
              .put("exp", issuedAt.plus(lifetime).getEpochSecond());
      var groupArray = c.putArray("groups");
      groups.forEach(groupArray::add);
      if (!actor.isEmpty()) {
        c.putObject("act").put("sub", actor);
      }
      if (!owner.isEmpty()) {
        c.put("owner", owner);
      }
      return c;
    }

    /** The signed grant, ready to present as a password or bearer token. */
    public String sign() {
      return DevGrantSigner.this.sign(header(), claims());
    }
  }
}
