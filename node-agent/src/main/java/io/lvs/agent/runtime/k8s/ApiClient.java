package io.lvs.agent.runtime.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The agent's client of the API server: a few requests on paths it names (its slices, their
 * status, its Leases), over the JDK's HTTP client (HTTP/2 where offered), with fabric8's {@link Config} for
 * where the server is and who the agent is (kubeconfig, in-cluster service account, system
 * properties: fabric8's rules), its TLS context built by fabric8's {@link SSLUtils}. Bearer token
 * (or a token provider's), client certificate, basic auth and impersonation are sent; a service account token file is read
 * again at most once a minute (the kubelet rotates it). Exec and auth-provider credential plugins
 * are not supported: the agent runs in-cluster. Not fabric8's client: that one's DSL, informers,
 * interceptors and model registry were ~830 loaded classes and threads of their own in every
 * agent, for these few calls.
 *
 * <p>No connect timeout: with one, the JDK's HTTP client keeps the exchange that opened a
 * connection (and its response body, a whole list of slices) alive as long as the connection;
 * {@code requestTimeout} bounds each request until its answer begins (a connect included), not
 * the reading of a stream.
 */
public final class ApiClient implements AutoCloseable {
  private static final Duration TOKEN_FILE_REREAD = Duration.ofMinutes(1);

  /** How requests are made: their timeout, and how often one failing on I/O or a 5xx is retried. */
  public record Settings(Duration requestTimeout, int retries, Duration retryInterval) {}

  private final URI base;
  private final HttpClient http;
  private final Settings settings;
  private final List<String> headers;
  private final String staticAuthorization;
  private final Path tokenFile;
  private final OAuthTokenProvider tokenProvider;
  private String fileToken; // guarded by this
  private long fileTokenReadAt; // guarded by this

  private ApiClient(URI base, HttpClient http, Settings settings, List<String> headers, String staticAuthorization,
      Path tokenFile, OAuthTokenProvider tokenProvider) {
    this.base = base;
    this.http = http;
    this.settings = settings;
    this.headers = headers;
    this.staticAuthorization = staticAuthorization;
    this.tokenFile = tokenFile;
    this.tokenProvider = tokenProvider;
  }

  /** A client for the server and identity {@code config} names. */
  public static ApiClient of(Config config, Settings settings) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(settings, "settings");
    String master = Objects.requireNonNull(config.getMasterUrl(), "the API server's URL");
    URI base = URI.create(master.endsWith("/") ? master : master + "/");
    // HTTP/2 where the server offers it: the watch, the status writes and the Lease calls share
    // one connection; over HTTP/1.1 every concurrent call opened its own, and a TLS handshake
    // under emulation outlasted the HA Lease calls' 400 ms
    HttpClient.Builder http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER);
    if ("https".equalsIgnoreCase(base.getScheme())) {
      if (config.isTrustCerts() || config.isDisableHostnameVerification()) {
        // the JDK's HTTP client has no per-client switch for this; fabric8's JDK client sets the same
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
      }
      try {
        http.sslContext(SSLUtils.sslContext(config));
      } catch (Exception e) {
        throw new IllegalArgumentException("TLS settings for " + master + ": " + e.getMessage(), e);
      }
    }
    List<String> headers = new ArrayList<>();
    if (config.getImpersonateUsername() != null) {
      headers.add("Impersonate-User");
      headers.add(config.getImpersonateUsername());
      for (String g : config.getImpersonateGroups() == null ? new String[0] : config.getImpersonateGroups()) {
        headers.add("Impersonate-Group");
        headers.add(g);
      }
    }
    String token = config.getOauthToken() != null ? config.getOauthToken() : config.getAutoOAuthToken();
    Path saFile = Path.of(Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH);
    Path tokenFile = null;
    String authorization = null;
    if (token != null && Files.isReadable(saFile) && token.strip().equals(read(saFile))) {
      tokenFile = saFile; // the service account's: read again as the kubelet rotates it
    } else if (token != null && !token.isBlank()) {
      authorization = "Bearer " + token.strip();
    } else if (config.getUsername() != null && config.getPassword() != null) {
      authorization = "Basic " + Base64.getEncoder()
          .encodeToString((config.getUsername() + ":" + config.getPassword()).getBytes(StandardCharsets.UTF_8));
    }
    return new ApiClient(base, http.build(), settings, List.copyOf(headers), authorization, tokenFile,
        config.getOauthTokenProvider());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      return null;
    }
  }

  /** The server's URL for {@code path} (relative, e.g. "apis/lvs.io/v1alpha1/lvsnodestates"). */
  public URI uri(String path) {
    return base.resolve(path);
  }

  /** A GET whose answer is read as a stream (a list, a watch): the body of a 2xx answer, open. */
  public InputStream get(String path) {
    return send("GET", path, null, null);
  }

  /**
   * A request with a JSON body (null: none); the body of a 2xx answer, open. Anything else is an
   * {@link ApiException} with the HTTP status (0: no answer) and the server's message.
   */
  public InputStream send(String method, String path, String contentType, byte[] body) {
    long wait = settings.retryInterval().toMillis();
    for (int attempt = 0; ; attempt++) {
      HttpResponse<InputStream> response;
      try {
        response = http.send(request(method, path, contentType, body), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiException(0, method + " " + path + ": interrupted", e);
      } catch (IOException e) {
        if (attempt < settings.retries() && !(e instanceof InterruptedIOException)) {
          pause(wait);
          wait *= 2;
          continue;
        }
        throw new ApiException(0, method + " " + path + ": " + e, e);
      }
      int code = response.statusCode();
      if (code / 100 == 2) {
        return response.body();
      }
      String text = readSome(response.body());
      if (code >= 500 && code <= 504 && attempt < settings.retries()) {
        pause(wait);
        wait *= 2;
        continue;
      }
      throw new ApiException(code, method + " " + path + ": HTTP " + code + " " + text, null);
    }
  }

  private HttpRequest request(String method, String path, String contentType, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Accept", "application/json")
        .header("User-Agent", "lvs-node-agent")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (settings.requestTimeout() != null && !settings.requestTimeout().isZero()) {
      b.timeout(settings.requestTimeout());
    }
    String auth = authorization();
    if (auth != null) {
      b.header("Authorization", auth);
    }
    for (int i = 0; i < headers.size(); i += 2) {
      b.header(headers.get(i), headers.get(i + 1));
    }
    return b.build();
  }

  private synchronized String authorization() {
    if (tokenProvider != null) {
      String t = tokenProvider.getToken();
      return t == null || t.isBlank() ? staticAuthorization : "Bearer " + t.strip();
    }
    if (tokenFile == null) {
      return staticAuthorization;
    }
    long now = System.nanoTime();
    if (fileToken == null || now - fileTokenReadAt > TOKEN_FILE_REREAD.toNanos()) {
      String t = read(tokenFile);
      if (t != null && !t.isEmpty()) {
        fileToken = t;
      }
      fileTokenReadAt = now;
    }
    return fileToken == null ? null : "Bearer " + fileToken;
  }

  private static String readSome(InputStream in) {
    try (in) {
      return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(0, "interrupted", e);
    }
  }

  @Override
  public void close() {
    // the JDK's HTTP client (Java 17) has no close: its selector thread ends once it is unreachable
  }
}
