package dev.ward.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads (and, for tests, writes) objects of one S3-compatible bucket with path-style requests
 * signed by AWS Signature Version 4, so {@code ward verify} can check a recording straight from the
 * storage the agents write to, without the control plane in the path.
 *
 * <p>The agent and the control plane share {@link dev.ward.recording.store.MinioObjectStore}; the
 * CLI deliberately does not: the MinIO SDK would add about 17 MB of jars (BouncyCastle alone is 9
 * MB, then the Kotlin runtime, snappy's native libraries, commons-compress, OkHttp) to a command
 * whose whole class path is 11 MB, and {@code ward verify} is the tool an auditor runs on a machine
 * that trusts nothing else of Ward, so what it loads should stay small enough to review. Listing
 * and reading objects needs only the JDK's HTTP client and this signer. Object keys come from the
 * same {@link dev.ward.recording.store.ObjectKeys} the agent writes with.
 */
final class S3Bucket {

  /** A failure the caller reports as it is: what went wrong with which request. */
  static final class Failure extends IOException {
    Failure(String message) {
      super(message);
    }
  }

  /** One listed object. */
  record Listed(String key, long size) {}

  static final int MAX_OBJECTS = 100_000;
  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final URI endpoint;
  private final String bucket;
  private final String region;
  private final String accessKey;
  private final String secretKey;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  S3Bucket(URI endpoint, String bucket, String region, String accessKey, String secretKey) {
    if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
      throw new IllegalArgumentException("the S3 endpoint must be an http or https URL");
    }
    if (bucket.isEmpty() || bucket.contains("/")) {
      throw new IllegalArgumentException("invalid bucket name '" + bucket + "'");
    }
    this.endpoint = endpoint;
    this.bucket = bucket;
    this.region = region;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /** Every object whose key starts with {@code prefix}, following continuation tokens. */
  List<Listed> list(String prefix) throws IOException {
    List<Listed> out = new ArrayList<>();
    String token = null;
    do {
      Map<String, String> query = new TreeMap<>();
      query.put("list-type", "2");
      query.put("prefix", prefix);
      if (token != null) {
        query.put("continuation-token", token);
      }
      HttpResponse<byte[]> r = send("GET", "", query, null);
      if (r.statusCode() != 200) {
        throw failure("listing " + prefix, r);
      }
      Document doc = parse(r.body());
      NodeList contents = doc.getElementsByTagName("Contents");
      for (int i = 0; i < contents.getLength(); i++) {
        Element c = (Element) contents.item(i);
        out.add(new Listed(text(c, "Key"), Long.parseLong(text(c, "Size"))));
        if (out.size() > MAX_OBJECTS) {
          throw new Failure("more than " + MAX_OBJECTS + " objects under " + prefix);
        }
      }
      token =
          "true".equals(text(doc.getDocumentElement(), "IsTruncated"))
              ? text(doc.getDocumentElement(), "NextContinuationToken")
              : null;
    } while (token != null && !token.isEmpty());
    return out;
  }

  /** Downloads one object into {@code file}, refusing more than {@code maxBytes}. */
  void download(String key, Path file, long maxBytes) throws IOException {
    HttpResponse<InputStream> r;
    try {
      r = http.send(request("GET", key, Map.of(), null), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted while downloading " + key);
    }
    try (InputStream in = r.body()) {
      if (r.statusCode() != 200) {
        throw new Failure(
            "downloading " + key + " failed: HTTP " + r.statusCode() + " " + errorCode(in));
      }
      long length = r.headers().firstValueAsLong("content-length").orElse(-1);
      if (length > maxBytes) {
        throw new Failure(key + " is larger than " + maxBytes + " bytes");
      }
      Files.copy(new Bounded(in, maxBytes, key), file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Stores one object (used to seed buckets in tests and by tools). */
  void put(String key, byte[] body) throws IOException {
    HttpResponse<byte[]> r = send("PUT", key, Map.of(), body);
    if (r.statusCode() != 200) {
      throw failure("storing " + key, r);
    }
  }

  private HttpResponse<byte[]> send(String method, String key, Map<String, String> query, byte[] b)
      throws IOException {
    try {
      return http.send(request(method, key, query, b), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    } catch (IOException e) {
      throw new Failure("cannot reach " + endpoint + ": " + e.getMessage());
    }
  }

  private HttpRequest request(String method, String key, Map<String, String> query, byte[] body)
      throws Failure {
    String path = basePath() + "/" + encode(bucket) + (key.isEmpty() ? "" : "/" + encodePath(key));
    StringBuilder q = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(query).entrySet()) {
      if (!q.isEmpty()) {
        q.append('&');
      }
      q.append(encode(e.getKey())).append('=').append(encode(e.getValue()));
    }
    String payloadHash = body == null ? EMPTY_SHA256 : hex(sha256(body));
    String amzDate = AMZ_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
    String date = amzDate.substring(0, 8);
    String host = endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort());
    String canonical =
        method
            + "\n"
            + path
            + "\n"
            + q
            + "\nhost:"
            + host
            + "\nx-amz-content-sha256:"
            + payloadHash
            + "\nx-amz-date:"
            + amzDate
            + "\n\nhost;x-amz-content-sha256;x-amz-date\n"
            + payloadHash;
    String scope = date + "/" + region + "/s3/aws4_request";
    String toSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] signingKey =
        hmac(
            hmac(
                hmac(hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date), region),
                "s3"),
            "aws4_request");
    String authorization =
        "AWS4-HMAC-SHA256 Credential="
            + accessKey
            + "/"
            + scope
            + ", SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="
            + hex(hmac(signingKey, toSign));
    URI uri = URI.create(endpoint.getScheme() + "://" + host + path + (q.isEmpty() ? "" : "?" + q));
    return HttpRequest.newBuilder(uri)
        .timeout(Duration.ofMinutes(5))
        .header("x-amz-date", amzDate)
        .header("x-amz-content-sha256", payloadHash)
        .header("Authorization", authorization)
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private String basePath() {
    String p = endpoint.getRawPath();
    return p == null || p.equals("/") ? "" : p.replaceAll("/+$", "");
  }

  /** RFC 3986 encoding as SigV4 wants it: unreserved characters kept, everything else %XX. */
  static String encode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(String.format("%02X", c & 0xff));
      }
    }
    return b.toString();
  }

  private static String encodePath(String key) {
    StringBuilder b = new StringBuilder();
    for (String part : key.split("/", -1)) {
      if (!b.isEmpty() || key.startsWith("/")) {
        b.append('/');
      }
      b.append(encode(part));
    }
    return b.toString();
  }

  private static Failure failure(String what, HttpResponse<byte[]> r) {
    return new Failure(
        what
            + " failed: HTTP "
            + r.statusCode()
            + " "
            + errorCode(new ByteArrayInputStream(r.body())));
  }

  /** The S3 error code of an error body (never the whole body, which may echo the request). */
  private static String errorCode(InputStream in) {
    try {
      byte[] body = in.readNBytes(64 * 1024);
      return body.length == 0 ? "" : "(" + text(parse(body).getDocumentElement(), "Code") + ")";
    } catch (IOException e) {
      return "";
    }
  }

  private static Document parse(byte[] xml) throws Failure {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setExpandEntityReferences(false);
      f.setNamespaceAware(false);
      return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new Failure("the storage answered with XML that does not parse");
    }
  }

  private static String text(Element parent, String tag) {
    NodeList n = parent.getElementsByTagName(tag);
    return n.getLength() == 0 ? "" : n.item(0).getTextContent();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** Stops reading past a bound, so a storage server cannot fill the disk. */
  private static final class Bounded extends InputStream {
    private final InputStream in;
    private final String key;
    private long left;

    Bounded(InputStream in, long max, String key) {
      this.in = in;
      this.left = max;
      this.key = key;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, (int) Math.min(len, left + 1));
      if (n > 0) {
        left -= n;
        if (left < 0) {
          throw new Failure(key + " is larger than the download limit");
        }
      }
      return n;
    }
  }
}
