package dev.ward.controlplane.tenant.service;

import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.identity.realm.RealmTemplate;
import dev.ward.controlplane.identity.realm.TenantRealms;
import dev.ward.controlplane.tenant.Tenant;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.text.Normalizer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Self-service sign-up: a tenant row, then its realm in the identity server, as one operation that
 * either completes or leaves nothing behind. The tenant row is committed first (state {@code
 * provisioning}, so the slug is taken while the realm is made); when the realm cannot be made, the
 * realm (if it is ours) and the row are removed again. The same request repeated answers the same
 * tenant without creating anything.
 */
@ApplicationScoped
public class SignupService {

  private static final Logger LOG = Logger.getLogger(SignupService.class);

  /** A sign-up left in provisioning longer than this was interrupted and may be taken over. */
  static final Duration ABANDONED_AFTER = Duration.ofMinutes(5);

  private final TenantService tenants;
  private final TenantRealms realms;
  private final String consoleUrl;

  public SignupService(
      TenantService tenants,
      TenantRealms realms,
      @ConfigProperty(name = "ward.console-url") String consoleUrl) {
    this.tenants = tenants;
    this.realms = realms;
    this.consoleUrl = consoleUrl;
  }

  /** What a sign-up asks for; already validated for shape and size. */
  public record Request(String organisation, String slug, String email, String password) {}

  /** The signed-up tenant; {@code created} is false when an identical sign-up made it before. */
  public record SignedUp(
      UUID tenantId,
      String slug,
      String realm,
      String issuer,
      String consoleUrl,
      boolean created) {}

  public Uni<SignedUp> signUp(Request request) {
    String organisation = request.organisation().strip();
    String slug =
        request.slug() == null || request.slug().isBlank() ? slugOf(organisation) : request.slug();
    String email = request.email().strip().toLowerCase(Locale.ROOT);
    return tenants
        .findBySlug(slug)
        .chain(
            existing -> {
              if (existing == null) {
                return provision(slug, organisation, email, request.password());
              }
              return repeated(existing, organisation, email, request.password());
            });
  }

  /** A sign-up for a slug that is taken: the same admin again, an interrupted one, or a clash. */
  private Uni<SignedUp> repeated(
      Tenant existing, String organisation, String email, String password) {
    Problem taken =
        Problem.conflict(
            "The organisation name '"
                + existing.slug
                + "' is taken. Sign in instead, or sign up with another organisation name.");
    if (existing.realm == null || !email.equals(existing.signupEmail)) {
      return Uni.createFrom().failure(taken);
    }
    if ("provisioning".equals(existing.signupState)) {
      if (existing.createdAt.isAfter(OffsetDateTime.now().minus(ABANDONED_AFTER))) {
        return Uni.createFrom()
            .failure(
                Problem.conflict("This sign-up is in progress already; try again in a minute."));
      }
      LOG.infof("Taking over the interrupted sign-up of tenant %s", existing.slug);
      return compensate(existing, true)
          .chain(() -> provision(existing.slug, organisation, email, password));
    }
    return realms
        .call(() -> realms.passwordValid(existing.realm, email, password))
        .map(
            valid -> {
              if (!valid) {
                throw taken;
              }
              return result(existing, false);
            });
  }

  private Uni<SignedUp> provision(String slug, String organisation, String email, String password) {
    if (!realms.configured()) {
      return realms.call(() -> null);
    }
    String realm = RealmTemplate.realmName(slug);
    return tenants
        .createForSignup(slug, organisation, realm, email)
        .onFailure(e -> isUniqueViolation(e))
        .transform(
            e ->
                Problem.conflict(
                    "The organisation name '" + slug + "' is taken; choose another one."))
        .chain(
            tenant ->
                realms
                    .run(
                        () ->
                            realms.create(
                                RealmTemplate.tenantRealm(
                                    slug, organisation, email, password, consoleUrl)))
                    .chain(() -> tenants.markReady(tenant.id))
                    .map(ignored -> result(tenant, true))
                    .onFailure()
                    .call(
                        e -> {
                          // A realm that existed before this sign-up is not ours to delete.
                          boolean realmOurs = !(e instanceof Problem p && p.status() == 409);
                          LOG.warnf(
                              "Sign-up of %s failed, removing what was made: %s",
                              slug, e.getMessage());
                          return compensate(tenant, realmOurs);
                        }));
  }

  /** Removes a half-made sign-up: the realm (when ours), then the tenant row. */
  private Uni<Void> compensate(Tenant tenant, boolean deleteRealm) {
    Uni<Void> realmGone =
        deleteRealm
            ? realms
                .run(() -> realms.delete(tenant.realm))
                .onFailure()
                .invoke(
                    e ->
                        LOG.errorf(
                            "Realm %s of a failed sign-up could not be removed: %s",
                            tenant.realm, e.getMessage()))
            : Uni.createFrom().voidItem();
    return realmGone.chain(() -> tenants.remove(tenant.id));
  }

  private SignedUp result(Tenant tenant, boolean created) {
    return new SignedUp(
        tenant.id, tenant.slug, tenant.realm, realms.issuer(tenant.realm), consoleUrl, created);
  }

  private static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The slug of an organisation name: lower-case ASCII letters and digits, other runs as one dash,
   * 3 to 40 characters, starting with a letter.
   */
  public static String slugOf(String organisation) {
    String ascii =
        Normalizer.normalize(organisation, Normalizer.Form.NFKD)
            .replaceAll("\\p{M}", "")
            .toLowerCase(Locale.ROOT);
    String slug = ascii.replaceAll("[^a-z0-9]+", "-").replaceAll("^[^a-z]+", "");
    if (slug.length() > 40) {
      slug = slug.substring(0, 40);
    }
    slug = slug.replaceAll("-+$", "");
    if (slug.length() < 3) {
      throw Problem.invalidField(
          "slug",
          "cannot make a short name of this organisation name; send slug: 3 to 40 lower-case"
              + " letters, digits and dashes, starting with a letter");
    }
    return slug;
  }
}
