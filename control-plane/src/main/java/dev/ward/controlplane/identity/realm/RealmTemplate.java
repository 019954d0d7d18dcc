package dev.ward.controlplane.identity.realm;

import dev.ward.controlplane.security.Roles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * What a tenant realm holds when sign-up creates it, as one representation so Keycloak creates it
 * in one step: the console client (authorization code with PKCE S256), the CLI client (device
 * authorization grant), Ward's four role groups, a {@code groups} claim in every token, and the
 * admin user in {@code ward-admins}.
 */
public final class RealmTemplate {

  /** Client id of the web console, a public client using authorization code + PKCE. */
  public static final String CONSOLE_CLIENT = "ward-console";

  /** Client id of the {@code ward} command, a public client using the device grant. */
  public static final String CLI_CLIENT = "ward-cli";

  /** The role groups every tenant realm has, which become Ward roles. */
  public static final List<String> ROLE_GROUPS =
      List.of(Roles.ADMIN, Roles.APPROVER, Roles.AUDITOR, Roles.MEMBER);

  private RealmTemplate() {}

  /** The realm name of a tenant. */
  public static String realmName(String slug) {
    return "ward-" + slug;
  }

  /**
   * The realm of a new tenant.
   *
   * @param consoleUrl where the console runs; its only redirect target
   */
  public static RealmRepresentation tenantRealm(
      String slug,
      String organisation,
      String adminEmail,
      String adminPassword,
      String consoleUrl) {
    RealmRepresentation realm = new RealmRepresentation();
    realm.setRealm(realmName(slug));
    realm.setDisplayName(organisation);
    realm.setEnabled(true);
    realm.setRegistrationAllowed(false);
    realm.setLoginWithEmailAllowed(true);
    realm.setDuplicateEmailsAllowed(false);
    realm.setResetPasswordAllowed(false);
    realm.setBruteForceProtected(true);
    realm.setPasswordPolicy("length(10) and notUsername and notEmail");
    realm.setOAuth2DeviceCodeLifespan(600);
    realm.setOAuth2DevicePollingInterval(5);

    realm.setGroups(ROLE_GROUPS.stream().map(RealmTemplate::group).toList());
    realm.setClients(List.of(consoleClient(consoleUrl), cliClient()));

    UserRepresentation admin = new UserRepresentation();
    admin.setUsername(adminEmail);
    admin.setEmail(adminEmail);
    admin.setEmailVerified(true);
    admin.setEnabled(true);
    admin.setFirstName(organisation);
    admin.setLastName("Administrator");
    CredentialRepresentation password = new CredentialRepresentation();
    password.setType(CredentialRepresentation.PASSWORD);
    password.setValue(adminPassword);
    password.setTemporary(false);
    admin.setCredentials(List.of(password));
    admin.setGroups(List.of("/" + Roles.ADMIN));
    realm.setUsers(List.of(admin));
    return realm;
  }

  private static GroupRepresentation group(String name) {
    GroupRepresentation g = new GroupRepresentation();
    g.setName(name);
    g.setPath("/" + name);
    return g;
  }

  private static ClientRepresentation consoleClient(String consoleUrl) {
    String base =
        consoleUrl.endsWith("/") ? consoleUrl.substring(0, consoleUrl.length() - 1) : consoleUrl;
    ClientRepresentation c = publicClient(CONSOLE_CLIENT, "Ward console");
    c.setStandardFlowEnabled(true);
    c.setRedirectUris(List.of(base + "/*"));
    c.setWebOrigins(List.of(base));
    c.setRootUrl(base);
    Map<String, String> attributes = new HashMap<>();
    attributes.put("pkce.code.challenge.method", "S256");
    attributes.put("post.logout.redirect.uris", base + "/*");
    c.setAttributes(attributes);
    return c;
  }

  private static ClientRepresentation cliClient() {
    ClientRepresentation c = publicClient(CLI_CLIENT, "Ward command line");
    c.setStandardFlowEnabled(false);
    c.setAttributes(new HashMap<>(Map.of("oauth2.device.authorization.grant.enabled", "true")));
    return c;
  }

  private static ClientRepresentation publicClient(String clientId, String name) {
    ClientRepresentation c = new ClientRepresentation();
    c.setClientId(clientId);
    c.setName(name);
    c.setEnabled(true);
    c.setPublicClient(true);
    c.setProtocol("openid-connect");
    c.setDirectAccessGrantsEnabled(false);
    c.setImplicitFlowEnabled(false);
    c.setServiceAccountsEnabled(false);
    c.setFullScopeAllowed(true);
    c.setProtocolMappers(new ArrayList<>(List.of(groupsClaim())));
    return c;
  }

  /** Puts the user's group names (without path) in the {@code groups} claim of every token. */
  public static ProtocolMapperRepresentation groupsClaim() {
    ProtocolMapperRepresentation m = new ProtocolMapperRepresentation();
    m.setName("groups");
    m.setProtocol("openid-connect");
    m.setProtocolMapper("oidc-group-membership-mapper");
    m.setConfig(
        new HashMap<>(
            Map.of(
                "claim.name", "groups",
                "full.path", "false",
                "access.token.claim", "true",
                "id.token.claim", "true",
                "userinfo.token.claim", "true",
                "introspection.token.claim", "true")));
    return m;
  }
}
