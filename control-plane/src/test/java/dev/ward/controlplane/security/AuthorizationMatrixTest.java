package dev.ward.controlplane.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.controlplane.support.Api;
import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who may call what: every REST endpoint of the control plane, found by reflection over its JAX-RS
 * resources, against every kind of caller. The rules are declared here, in one table a reviewer can
 * read; an endpoint without a row fails the build, so no endpoint ships without a decision on who
 * may call it.
 */
@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@Timeout(900)
class AuthorizationMatrixTest {

  /** Every kind of caller the API can meet. */
  enum Caller {
    ANONYMOUS,
    /** An agent's token: it opens the agent channel and is no API credential. */
    AGENT_TOKEN,
    /** The platform bootstrap token: creates tenants, sees no tenant's data. */
    PLATFORM,
    /** The admin of another tenant, calling on this tenant's objects. */
    OTHER_TENANT_ADMIN,
    MEMBER,
    AUDITOR,
    APPROVER,
    ADMIN
  }

  static final Set<Caller> PUBLIC = EnumSet.allOf(Caller.class);
  static final Set<Caller> PLATFORM_ONLY = EnumSet.of(Caller.PLATFORM);
  static final Set<Caller> TENANT_USERS =
      EnumSet.of(Caller.MEMBER, Caller.AUDITOR, Caller.APPROVER, Caller.ADMIN);
  static final Set<Caller> ADMINS = EnumSet.of(Caller.ADMIN);
  static final Set<Caller> ADMINS_AUDITORS = EnumSet.of(Caller.ADMIN, Caller.AUDITOR);
  static final Set<Caller> ADMINS_APPROVERS = EnumSet.of(Caller.ADMIN, Caller.APPROVER);
  static final Set<Caller> REVIEWERS = EnumSet.of(Caller.ADMIN, Caller.APPROVER, Caller.AUDITOR);

  /**
   * Endpoints that read the recording bucket, which this test's control plane has none of: a caller
   * the rule allows gets 503 (storage not configured) once authorization passed, before any lookup.
   * Another tenant's admin is kept from these sessions by RecordingEvidenceIT, which has a bucket.
   */
  /** Endpoints that answer with a stream that does not end: only their status is read. */
  static final Set<String> STREAMS = Set.of("GET /api/v1/approvals/events");

  static final Set<String> NEEDS_STORAGE =
      Set.of(
          "GET /api/v1/sessions/{id}/events",
          "POST /api/v1/sessions/{id}/verify",
          "GET /api/v1/sessions/{id}/download");

  /** Any caller with an API credential (not an agent token). */
  static final Set<Caller> AUTHENTICATED =
      EnumSet.of(
          Caller.PLATFORM,
          Caller.OTHER_TENANT_ADMIN,
          Caller.MEMBER,
          Caller.AUDITOR,
          Caller.APPROVER,
          Caller.ADMIN);

  /**
   * The declared rule of every endpoint: which tenant roles (or PUBLIC, or the platform) may call
   * it. An admin of another tenant is checked on top: wherever a path names an object, it must get
   * 404, never this tenant's data.
   */
  static final Map<String, Set<Caller>> RULES =
      Map.ofEntries(
          Map.entry("POST /api/v1/admin/tenants", PLATFORM_ONLY),
          Map.entry("POST /api/v1/signup", PUBLIC),
          Map.entry("GET /api/v1/auth/discovery", PUBLIC),
          Map.entry("GET /api/v1/auth/me", AUTHENTICATED),
          Map.entry("GET /api/v1/service-accounts", ADMINS),
          Map.entry("POST /api/v1/service-accounts", ADMINS),
          Map.entry("DELETE /api/v1/service-accounts/{id}", ADMINS),
          Map.entry("GET /api/v1/agents", TENANT_USERS),
          Map.entry("POST /api/v1/agents", ADMINS),
          Map.entry("GET /api/v1/agents/{id}", TENANT_USERS),
          Map.entry("POST /api/v1/agents/{id}/revoke", ADMINS),
          Map.entry("POST /api/v1/agents/{id}/install", ADMINS),
          Map.entry("GET /api/v1/api-tokens", ADMINS),
          Map.entry("POST /api/v1/api-tokens", ADMINS),
          Map.entry("POST /api/v1/api-tokens/{id}/revoke", ADMINS),
          Map.entry("GET /api/v1/approvals", REVIEWERS),
          Map.entry("GET /api/v1/approvals/{id}", REVIEWERS),
          Map.entry("GET /api/v1/approvals/events", REVIEWERS),
          // deciding also needs membership of one of the rule's approver groups (ApprovalApiTest)
          Map.entry("POST /api/v1/approvals/{id}/approve", ADMINS_APPROVERS),
          Map.entry("POST /api/v1/approvals/{id}/deny", ADMINS_APPROVERS),
          // any tenant user may be the engineer behind a request; only they or an admin may cancel
          // it (ApprovalApiTest); here the approver has decided it already, so callers get 409
          Map.entry("POST /api/v1/approvals/{id}/cancel", TENANT_USERS),
          Map.entry("GET /api/v1/audit", ADMINS_AUDITORS),
          Map.entry("GET /api/v1/members", ADMINS_AUDITORS),
          Map.entry("GET /api/v1/settings/slack", ADMINS),
          Map.entry("PUT /api/v1/settings/slack", ADMINS),
          // Slack calls it; the signature with the tenant's signing secret is the credential
          // (SlackApprovalTest); the matrix's JSON body is refused as the wrong media type
          Map.entry("POST /api/v1/slack/interactions/{tenant}", PUBLIC),
          Map.entry("GET /api/v1/config", ADMINS_AUDITORS),
          Map.entry("GET /api/v1/connections", TENANT_USERS),
          Map.entry("POST /api/v1/connections", ADMINS),
          Map.entry("GET /api/v1/connections/{id}", TENANT_USERS),
          Map.entry("PUT /api/v1/connections/{id}", ADMINS),
          Map.entry("DELETE /api/v1/connections/{id}", ADMINS),
          Map.entry("POST /api/v1/connections/{id}/grants", TENANT_USERS),
          Map.entry("GET /api/v1/distribution/agent", PUBLIC),
          Map.entry("GET /api/v1/distribution/agent/{version}/{file}", PUBLIC),
          Map.entry("GET /api/v1/distribution/install.sh", PUBLIC),
          Map.entry("GET /api/v1/grant-keys", ADMINS_AUDITORS),
          Map.entry("POST /api/v1/grant-keys/rotate", ADMINS),
          Map.entry("POST /api/v1/grants/revoke", ADMINS_APPROVERS),
          Map.entry("GET /api/v1/identity-providers", ADMINS),
          Map.entry("POST /api/v1/identity-providers", ADMINS),
          Map.entry("GET /api/v1/identity-providers/{id}", ADMINS),
          Map.entry("PUT /api/v1/identity-providers/{id}", ADMINS),
          Map.entry("DELETE /api/v1/identity-providers/{id}", ADMINS),
          Map.entry("GET /api/v1/policies", TENANT_USERS),
          Map.entry("POST /api/v1/policies", ADMINS),
          Map.entry("GET /api/v1/policies/{id}", TENANT_USERS),
          Map.entry("PUT /api/v1/policies/{id}", ADMINS),
          Map.entry("DELETE /api/v1/policies/{id}", ADMINS),
          Map.entry("POST /api/v1/policies/test", ADMINS),
          Map.entry("GET /api/v1/sessions", ADMINS_AUDITORS),
          Map.entry("GET /api/v1/sessions/{id}", ADMINS_AUDITORS),
          Map.entry("GET /api/v1/recording-retention", ADMINS_AUDITORS),
          Map.entry("PUT /api/v1/recording-retention", ADMINS),
          Map.entry("GET /api/v1/sessions/{id}/events", ADMINS_AUDITORS),
          Map.entry("POST /api/v1/sessions/{id}/verify", ADMINS_AUDITORS),
          Map.entry("GET /api/v1/sessions/{id}/download", ADMINS_AUDITORS),
          Map.entry("PUT /api/v1/sessions/{id}/legal-hold", ADMINS_AUDITORS),
          Map.entry("DELETE /api/v1/sessions/{id}/legal-hold", ADMINS));

  private static final List<Class<? extends Annotation>> METHODS =
      List.of(GET.class, POST.class, PUT.class, DELETE.class, PATCH.class, HEAD.class);

  /** Every "METHOD /path" the control plane's JAX-RS resources serve. */
  static Set<String> endpoints() throws IOException, ClassNotFoundException {
    java.nio.file.Path classes = java.nio.file.Path.of("target", "classes");
    Set<String> found = new TreeSet<>();
    List<String> names;
    try (Stream<java.nio.file.Path> files = Files.walk(classes.resolve("dev/ward/controlplane"))) {
      names =
          files
              .map(classes::relativize)
              .map(java.nio.file.Path::toString)
              .filter(n -> n.endsWith(".class") && !n.contains("$"))
              .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
              .toList();
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    for (String name : names) {
      Class<?> type = Class.forName(name, false, loader);
      Path root = type.getAnnotation(Path.class);
      if (root == null) {
        continue;
      }
      for (Method m : type.getDeclaredMethods()) {
        for (Class<? extends Annotation> verb : METHODS) {
          if (m.isAnnotationPresent(verb)) {
            Path sub = m.getAnnotation(Path.class);
            found.add(
                verb.getSimpleName() + " " + join(root.value(), sub == null ? "" : sub.value()));
          }
        }
      }
    }
    return found;
  }

  private static String join(String root, String sub) {
    String path = ("/" + root + "/" + sub).replaceAll("/+", "/");
    // {id: [0-9a-f-]+} and {id} are the same parameter
    path = path.replaceAll("\\{\\s*([A-Za-z0-9_]+)\\s*:[^}]*}", "{$1}");
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  @Test
  void everyEndpointHasADeclaredRule() throws Exception {
    Set<String> served = endpoints();
    assertThat(served).as("the scan finds the API").hasSizeGreaterThan(20);
    Set<String> undeclared = new TreeSet<>(served);
    undeclared.removeAll(RULES.keySet());
    assertThat(undeclared)
        .as(
            "endpoints without a rule: add a row to AuthorizationMatrixTest.RULES saying who may"
                + " call each")
        .isEmpty();
    Set<String> stale = new TreeSet<>(RULES.keySet());
    stale.removeAll(served);
    assertThat(stale).as("rules for endpoints that no longer exist").isEmpty();
  }

  @Test
  void everyCallerGetsExactlyWhatTheMatrixDeclaresOnEveryEndpoint() throws Exception {
    String admin = TestTokens.newTenantAdmin();
    Api a = new Api(admin);
    Map<Caller, String> tokens = new HashMap<>();
    tokens.put(Caller.ADMIN, admin);
    tokens.put(Caller.MEMBER, TestTokens.withRoles(admin, "ward-members"));
    tokens.put(Caller.AUDITOR, TestTokens.withRoles(admin, "ward-auditors"));
    tokens.put(Caller.APPROVER, TestTokens.withRoles(admin, "ward-approvers"));
    tokens.put(Caller.OTHER_TENANT_ADMIN, TestTokens.newTenantAdmin());
    tokens.put(Caller.PLATFORM, TestTokens.BOOTSTRAP);
    var agent = a.post("/api/v1/agents", Map.of("name", "matrix-edge")).then().statusCode(201);
    tokens.put(Caller.AGENT_TOKEN, agent.extract().path("token"));

    Map<String, String> objects = objectsOfTheTenant(a, agent.extract().path("agent.id"));
    Map<String, List<String>> wrong = new TreeMap<>();
    List<Caller> order =
        List.of(
            Caller.ANONYMOUS,
            Caller.AGENT_TOKEN,
            Caller.PLATFORM,
            Caller.OTHER_TENANT_ADMIN,
            Caller.MEMBER,
            Caller.AUDITOR,
            Caller.APPROVER,
            Caller.ADMIN);
    int calls = 0;
    for (String endpoint : endpoints()) {
      Set<Caller> allowed = RULES.get(endpoint);
      if (allowed == null) {
        continue; // everyEndpointHasADeclaredRule reports it
      }
      String method = endpoint.substring(0, endpoint.indexOf(' '));
      String template = endpoint.substring(endpoint.indexOf(' ') + 1);
      String path = fill(template, objects);
      boolean namesAnObject = !path.equals(template) && !allowed.equals(PUBLIC);
      // the caller allowed to change things comes last, so every refusal is seen on a live object
      for (Caller caller : order) {
        int status =
            STREAMS.contains(endpoint)
                ? statusOfStream(path, tokens.get(caller))
                : send(method, path, tokens.get(caller));
        calls++;
        boolean mayCall =
            allowed.contains(caller)
                || (caller == Caller.OTHER_TENANT_ADMIN && allowed.contains(Caller.ADMIN));
        String problem =
            status == 503 && mayCall && NEEDS_STORAGE.contains(endpoint)
                ? null
                : judge(caller, allowed, namesAnObject, status);
        if (problem != null) {
          wrong.computeIfAbsent(endpoint, k -> new ArrayList<>()).add(caller + ": " + problem);
        }
      }
    }
    assertThat(calls).isGreaterThan(RULES.size() * 7);
    assertThat(wrong).as("endpoints answering a caller other than the matrix declares").isEmpty();
  }

  /** Null when the status is what the rule says the caller must get, else what is wrong. */
  private static String judge(Caller caller, Set<Caller> allowed, boolean namesObject, int status) {
    boolean mayCall =
        allowed.contains(caller)
            || (caller == Caller.OTHER_TENANT_ADMIN && allowed.contains(Caller.ADMIN));
    if (status >= 500) {
      return "server error " + status;
    }
    if (caller == Caller.OTHER_TENANT_ADMIN && mayCall && namesObject) {
      // 400: the matrix's empty body is refused before any lookup, which tells nothing about the
      // object; TenantIsolationTest sends valid bodies to the same paths and expects 404
      return status == 404 || status == 400
          ? null
          : "got " + status + ", must get 404 on another tenant's object";
    }
    if (mayCall) {
      return status == 401 || status == 403 || status == 405
          ? "refused with " + status + " but the rule allows it"
          : null;
    }
    int expected = caller == Caller.ANONYMOUS || caller == Caller.AGENT_TOKEN ? 401 : 403;
    return status == expected ? null : "got " + status + ", must be refused with " + expected;
  }

  /** The status of a GET whose body streams on: the headers are read, then the stream closed. */
  private static int statusOfStream(String path, String token) {
    java.net.http.HttpRequest.Builder request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(
                    io.restassured.RestAssured.baseURI
                        + ":"
                        + io.restassured.RestAssured.port
                        + path))
            .timeout(java.time.Duration.ofSeconds(30))
            .header("Accept", "text/event-stream");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
      java.net.http.HttpResponse<java.io.InputStream> response =
          client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
      response.body().close();
      return response.statusCode();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int send(String method, String path, String token) {
    RequestSpecification r =
        given().redirects().follow(false).contentType(ContentType.JSON).header("If-Match", "\"0\"");
    if (token != null) {
      r = r.auth().oauth2(token);
    }
    if (!method.equals("GET") && !method.equals("DELETE") && !method.equals("HEAD")) {
      r = r.body("{}");
    }
    return r.request(method, path).statusCode();
  }

  /** One object of each kind in the tenant, by the collection a path names it under. */
  private static Map<String, String> objectsOfTheTenant(Api a, String agentId) {
    Map<String, String> ids = new HashMap<>();
    ids.put("agents", agentId);
    String policy = a.create("/api/v1/policies", Api.policy("matrix-policy"));
    ids.put("policies", policy);
    ids.put(
        "connections",
        a.create("/api/v1/connections", Api.connection("matrix-db", 15777, "policyId", policy)));
    ids.put(
        "identity-providers",
        a.create(
            "/api/v1/identity-providers",
            Map.of(
                "alias", "matrix-okta",
                "kind", "oidc",
                "displayName", "Matrix Okta",
                "issuerUrl", "https://matrix.okta.example",
                "clientId", "matrix-client")));
    ids.put(
        "api-tokens",
        a.post("/api/v1/api-tokens", Map.of("name", "matrix-ci", "roles", List.of("ward-members")))
            .then()
            .statusCode(201)
            .extract()
            .path("apiToken.id"));
    UUID session = UUID.randomUUID();
    Object tenant =
        TestDatabase.queryOne(
            ConfigProvider.getConfig().getValue("ward.db.name", String.class),
            "SELECT tenant_id FROM agents WHERE id = ?",
            UUID.fromString(agentId));
    TestDatabase.queryOne(
        ConfigProvider.getConfig().getValue("ward.db.name", String.class),
        "INSERT INTO sessions (id, tenant_id, state, started_at, subject)"
            + " VALUES (?, ?, 'ended', now(), 'matrix-subject') RETURNING id",
        session,
        tenant);
    ids.put("sessions", session.toString());
    UUID approval = UUID.randomUUID();
    TestDatabase.queryOne(
        ConfigProvider.getConfig().getValue("ward.db.name", String.class),
        "INSERT INTO approvals (id, tenant_id, request_id, subject, operation, operation_hash,"
            + " rule, approver_group, approver_groups, state, expires_at) VALUES (?, ?, ?,"
            + " 'matrix-subject', 'UPDATE t SET x = 1', 'ab', 'hold-updates', 'ward-approvers',"
            + " '{ward-approvers,ward-admins}', 'pending', now() + interval '1 hour') RETURNING id",
        approval,
        tenant,
        approval.toString());
    ids.put("approvals", approval.toString());
    ids.put("tenant", tenant.toString());
    // Service accounts live in a tenant realm, which this tenant (made without sign-up) has not;
    // an unknown id still shows who is refused and who gets 404.
    ids.put("service-accounts", UUID.randomUUID().toString());
    ids.put("version", "0.0.0");
    ids.put("file", "ward-agent-0.0.0.tar.gz");
    return ids;
  }

  /** The path with each {parameter} replaced by an object of the tenant. */
  private static String fill(String template, Map<String, String> objects) {
    String[] segments = template.split("/");
    for (int i = 1; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.startsWith("{") && segment.endsWith("}")) {
        String name = segment.substring(1, segment.length() - 1);
        String value = objects.containsKey(name) ? objects.get(name) : objects.get(segments[i - 1]);
        if (value == null) {
          throw new AssertionError(
              "No object for "
                  + segment
                  + " in "
                  + template
                  + ": add one to AuthorizationMatrixTest.objectsOfTheTenant");
        }
        segments[i] = value;
      }
    }
    return String.join("/", segments);
  }
}
