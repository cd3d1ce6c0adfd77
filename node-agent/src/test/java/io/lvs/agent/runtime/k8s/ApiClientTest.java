package io.lvs.agent.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's API client against a plain HTTP server on loopback that records what arrives and
 * answers as scripted: what it sends (credentials, impersonation, body) and how it treats answers
 * (retries, errors). TLS and the real API server's answers: AgentApiServerTest and the others.
 */
class ApiClientTest {
  private HttpServer server;
  private final List<Map<String, List<String>>> requests = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      requests.add(Map.copyOf(ex.getRequestHeaders()));
      bodies.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " "
          + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      String path = ex.getRequestURI().getPath();
      AtomicInteger left = failuresLeft.get(path);
      int code = path.endsWith("/missing") ? 404 : left != null && left.getAndDecrement() > 0 ? 503 : 200;
      byte[] answer = (code == 200 ? "{\"ok\":true}" : "{\"message\":\"scripted " + code + "\"}").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(code, answer.length);
      ex.getResponseBody().write(answer);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Config config() {
    return new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
        .build();
  }

  private static ApiClient client(Config c, int retries) {
    return ApiClient.of(c, new ApiClient.Settings(Duration.ofSeconds(5), retries, Duration.ofMillis(10)));
  }

  private static String read(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void itSendsTheTokenTheImpersonationAndTheBodyItIsGiven() throws IOException {
    Config c = new ConfigBuilder(config()).withOauthToken("t0ken").withImpersonateUsername("system:serviceaccount:ns:agent")
        .withImpersonateGroups("system:serviceaccounts", "system:authenticated").build();
    ApiClient api = client(c, 0);
    assertThat(read(api.send("PUT", "apis/x/v1/things/a/status", "application/json",
        "{\"status\":1}".getBytes(StandardCharsets.UTF_8)))).isEqualTo("{\"ok\":true}");
    Map<String, List<String>> h = requests.get(0);
    assertThat(h.get("Authorization")).containsExactly("Bearer t0ken");
    assertThat(h.get("Impersonate-user")).containsExactly("system:serviceaccount:ns:agent");
    assertThat(h.get("Impersonate-group")).containsExactly("system:serviceaccounts", "system:authenticated");
    assertThat(h.get("Content-type")).containsExactly("application/json");
    assertThat(h.get("User-agent")).containsExactly("lvs-node-agent");
    assertThat(bodies).containsExactly("PUT /apis/x/v1/things/a/status {\"status\":1}");
  }

  @Test
  void basicAuthWhenThereIsNoToken() throws IOException {
    ApiClient api = client(new ConfigBuilder(config()).withUsername("u").withPassword("p").build(), 0);
    read(api.get("api/v1/namespaces"));
    assertThat(requests.get(0).get("Authorization")).containsExactly("Basic dTpw");
  }

  @Test
  void serverErrorsAreRetriedUpToTheLimitAndOtherAnswersAreApiExceptionsWithTheirStatus() throws IOException {
    failuresLeft.put("/api/v1/flaky", new AtomicInteger(2));
    assertThat(read(client(config(), 2).get("api/v1/flaky"))).isEqualTo("{\"ok\":true}");
    assertThat(requests).hasSize(3);

    failuresLeft.put("/api/v1/down", new AtomicInteger(5));
    assertThatThrownBy(() -> client(config(), 1).get("api/v1/down")).isInstanceOfSatisfying(ApiException.class,
        e -> {
          assertThat(e.code()).isEqualTo(503);
          assertThat(e.getMessage()).contains("GET api/v1/down", "HTTP 503", "scripted 503");
        });
    assertThat(requests).hasSize(5); // 3 + one try and one retry

    assertThatThrownBy(() -> client(config(), 3).get("api/v1/missing")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.code()).isEqualTo(404));
    assertThat(requests).as("a 404 is an answer: not retried").hasSize(6);
  }

  @Test
  void noAnswerIsAnApiExceptionWithStatusZeroAfterTheRetries() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Config c = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + closed).build();
    assertThatThrownBy(() -> client(c, 2).get("api/v1/namespaces")).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isZero();
      assertThat(e.getMessage()).contains("GET api/v1/namespaces", "ConnectException");
    });
  }
}
