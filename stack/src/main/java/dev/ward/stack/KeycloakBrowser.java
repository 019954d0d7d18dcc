package dev.ward.stack;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person at a browser, without the browser: follows Keycloak's redirects with cookies, fills in
 * its login form, accepts its consent page and submits SAML HTTP-POST binding pages. Enough to
 * approve a device code or to sign in through a brokered OIDC or SAML identity provider in tests
 * and demos.
 */
public final class KeycloakBrowser {

  private static final Pattern FORM =
      Pattern.compile("<form[^>]*?action=\"([^\"]*)\"[^>]*>(.*?)</form>", Pattern.DOTALL);
  private static final Pattern INPUT = Pattern.compile("<input([^>]*)>", Pattern.DOTALL);
  private static final Pattern ATTR = Pattern.compile("(\\w[\\w-]*)=\"([^\"]*)\"");

  private final HttpClient http =
      HttpClient.newBuilder()
          .cookieHandler(new LocalCookies())
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /**
   * Cookies of a local identity server. Keycloak marks its cookies Secure even over plain HTTP on
   * 127.0.0.1, and the JDK's CookieManager would then never send them back; this jar keeps them by
   * host, path and name and sends each where its path applies.
   */
  private static final class LocalCookies extends CookieHandler {
    private final Map<String, HttpCookie> jar = new ConcurrentHashMap<>();

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) {
      String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
      String host = uri.getHost() + ":" + uri.getPort();
      String cookies =
          jar.entrySet().stream()
              .filter(e -> e.getKey().startsWith(host + "|"))
              .map(Map.Entry::getValue)
              .filter(c -> path.startsWith(c.getPath() == null ? "/" : c.getPath()))
              .map(c -> c.getName() + "=" + c.getValue())
              .collect(Collectors.joining("; "));
      return cookies.isEmpty() ? Map.of() : Map.of("Cookie", List.of(cookies));
    }

    @Override
    public void put(URI uri, Map<String, List<String>> headers) {
      String host = uri.getHost() + ":" + uri.getPort();
      headers.forEach(
          (name, values) -> {
            if (name == null || !name.equalsIgnoreCase("set-cookie")) {
              return;
            }
            for (String value : values) {
              for (HttpCookie c : HttpCookie.parse(value)) {
                if (c.getPath() == null) {
                  c.setPath("/");
                }
                String key = host + "|" + c.getPath() + "|" + c.getName();
                if (c.getMaxAge() == 0 || c.getValue().isEmpty()) {
                  jar.remove(key);
                } else {
                  jar.put(key, c);
                }
              }
            }
          });
    }
  }

  /** Where the sign-in ended: a redirect to {@code stopAt} (its URL), or a final page. */
  public record Outcome(String redirect, String page) {}

  /**
   * Opens {@code url} and signs in as the person on every login form met on the way (through
   * brokers too), accepting consent, until a redirect leads to {@code stopAt} (not followed) or a
   * page without a form is reached.
   */
  public Outcome signIn(String url, String username, String password, String stopAt)
      throws IOException {
    HttpResponse<String> r = get(url);
    for (int step = 0; step < 30; step++) {
      if (r.statusCode() / 100 == 3) {
        String next = URI.create(r.uri().toString()).resolve(location(r)).toString();
        if (stopAt != null && next.startsWith(stopAt)) {
          return new Outcome(next, null);
        }
        r = get(next);
        continue;
      }
      String page = r.body();
      Matcher form = FORM.matcher(page);
      if (r.statusCode() != 200 || !form.find()) {
        return new Outcome(null, page);
      }
      String action = unescape(form.group(1));
      Map<String, String> fields = hiddenFields(form.group(2));
      String body = form.group(2);
      if (body.contains("name=\"username\"") || body.contains("name=\"password\"")) {
        fields.put("username", username);
        fields.put("password", password);
        fields.put("credentialId", "");
      } else if (body.contains("name=\"accept\"")) {
        fields.put("accept", "Yes");
      } else if (fields.containsKey("SAMLRequest") || fields.containsKey("SAMLResponse")) {
        // a SAML HTTP-POST binding page, which a browser submits by script: submit it as is
      } else if (body.contains("name=\"firstName\"") || body.contains("name=\"email\"")) {
        // a profile review: submit what the identity provider filled in
        fields.putAll(textFields(body));
      } else {
        return new Outcome(null, page);
      }
      r = post(URI.create(r.uri().toString()).resolve(action).toString(), fields);
    }
    throw new IOException("sign-in did not finish within 30 steps");
  }

  /**
   * Signs a person in with the OAuth 2.0 device authorization grant of a public client: asks for a
   * code, approves it in this browser as the person, and redeems it. Returns the access token.
   */
  public String deviceLogin(String issuer, String clientId, String username, String password)
      throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    HttpResponse<String> device =
        post(
            issuer + "/protocol/openid-connect/auth/device",
            Map.of("client_id", clientId, "scope", "openid"));
    if (device.statusCode() != 200) {
      throw new IOException(
          "device authorization refused: HTTP " + device.statusCode() + " " + device.body());
    }
    var code = json.readTree(device.body());
    signIn(code.path("verification_uri_complete").asText(), username, password, null);
    HttpResponse<String> token =
        post(
            issuer + "/protocol/openid-connect/token",
            Map.of(
                "grant_type",
                "urn:ietf:params:oauth:grant-type:device_code",
                "client_id",
                clientId,
                "device_code",
                code.path("device_code").asText()));
    if (token.statusCode() != 200) {
      throw new IOException("the device code was not approved: " + token.body());
    }
    return json.readTree(token.body()).path("access_token").asText();
  }

  private HttpResponse<String> get(String url) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  private HttpResponse<String> post(String url, Map<String, String> form) throws IOException {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("content-type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String location(HttpResponse<String> r) throws IOException {
    return r.headers()
        .firstValue("location")
        .orElseThrow(() -> new IOException("redirect without Location from " + r.uri()));
  }

  private static Map<String, String> hiddenFields(String form) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher input = INPUT.matcher(form);
    while (input.find()) {
      Map<String, String> attrs = attributes(input.group(1));
      if ("hidden".equals(attrs.get("type")) && attrs.containsKey("name")) {
        fields.put(attrs.get("name"), unescape(attrs.getOrDefault("value", "")));
      }
    }
    return fields;
  }

  private static Map<String, String> textFields(String form) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher input = INPUT.matcher(form);
    while (input.find()) {
      Map<String, String> attrs = attributes(input.group(1));
      String type = attrs.getOrDefault("type", "text");
      if ((type.equals("text") || type.equals("email")) && attrs.containsKey("name")) {
        fields.put(attrs.get("name"), unescape(attrs.getOrDefault("value", "")));
      }
    }
    return fields;
  }

  private static Map<String, String> attributes(String tag) {
    Map<String, String> attrs = new LinkedHashMap<>();
    Matcher m = ATTR.matcher(tag);
    while (m.find()) {
      attrs.put(m.group(1), m.group(2));
    }
    return attrs;
  }

  private static final Pattern ENTITY =
      Pattern.compile("&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));");

  private static String unescape(String html) {
    String named = html.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">");
    Matcher m = ENTITY.matcher(named);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int code =
          m.group(1) != null ? Integer.parseInt(m.group(1), 16) : Integer.parseInt(m.group(2));
      m.appendReplacement(out, Matcher.quoteReplacement(Character.toString(code)));
    }
    m.appendTail(out);
    return out.toString().replace("&amp;", "&");
  }
}
