package io.lvs.agent.runtime.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.ServiceKey;
import io.lvs.api.v1alpha1.HealthCheckType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real probes against real servers on 127.0.0.1, with the rise/fall timing the spec promises. */
class HealthCheckerTest {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  static final Duration INTERVAL = Duration.ofMillis(250);
  static final Duration TIMEOUT = Duration.ofMillis(400);

  final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  final CopyOnWriteArrayList<Long> transitions = new CopyOnWriteArrayList<>();
  final HealthChecker checker = new HealthChecker(scheduler, new Probes(), () -> transitions.add(System.nanoTime()));
  ServerSocket tcp;
  HttpServer http;

  final MemberKey member = new MemberKey(ServiceKey.of(IpProtocol.TCP, LOOPBACK, 80), new DestinationKey(LOOPBACK, 80));

  @AfterEach
  void stop() throws IOException {
    checker.close();
    scheduler.shutdownNow();
    if (tcp != null) {
      tcp.close();
    }
    if (http != null) {
      http.stop(0);
    }
  }

  static HealthTarget target(HealthCheckType type, int port, String path, int rise, int fall) {
    return new HealthTarget(type, LOOPBACK, port, path, 200, INTERVAL, TIMEOUT, rise, fall);
  }

  ServerSocket listen(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(LOOPBACK, port));
    Thread t = new Thread(() -> {
      while (!s.isClosed()) {
        try (Socket c = s.accept()) {
          c.getInputStream().available();
        } catch (IOException e) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
    return s;
  }

  @Test
  void tcpMemberFallsWithinIntervalTimesFallAndRisesAfterRiseSuccesses() throws Exception {
    tcp = listen(0);
    int port = tcp.getLocalPort();
    checker.update(Map.of(member, target(HealthCheckType.TCP, port, "/", 2, 3)));
    Thread.sleep(INTERVAL.toMillis() * 3);
    assertThat(checker.snapshot()).containsEntry(member, Health.Healthy);
    assertThat(transitions).isEmpty();

    long down = System.nanoTime();
    tcp.close();
    await().atMost(Duration.ofSeconds(3)).until(() -> checker.down().contains(member) && !transitions.isEmpty());
    long tookMs = (transitions.get(0) - down) / 1_000_000;
    // fall=3 failures: at most 3 intervals (the first failing probe may be up to one interval away) + timeout + slack
    assertThat(tookMs).isLessThanOrEqualTo(3 * INTERVAL.toMillis() + TIMEOUT.toMillis() + 500)
        .isGreaterThanOrEqualTo(2 * INTERVAL.toMillis() - 50);

    long up = System.nanoTime();
    tcp = listen(port);
    // the transition is recorded by the listener right after the snapshot flips: wait for both
    await().atMost(Duration.ofSeconds(3))
        .until(() -> checker.snapshot().get(member) == Health.Healthy && transitions.size() >= 2);
    long riseMs = (transitions.get(1) - up) / 1_000_000;
    assertThat(riseMs).isLessThanOrEqualTo(2 * INTERVAL.toMillis() + 500).isGreaterThanOrEqualTo(INTERVAL.toMillis() - 50);
    assertThat(transitions).hasSize(2);
  }

  @Test
  void httpMemberNeedsTheExpectedStatusOnTheConfiguredPath() throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    http = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    http.createContext("/healthz", ex -> {
      ex.sendResponseHeaders(status.get(), -1);
      ex.close();
    });
    http.start();
    int port = http.getAddress().getPort();
    checker.update(Map.of(member, target(HealthCheckType.HTTP, port, "/healthz", 1, 2)));
    Thread.sleep(INTERVAL.toMillis() * 3);
    assertThat(checker.snapshot()).containsEntry(member, Health.Healthy);

    status.set(503);
    await().atMost(Duration.ofSeconds(3)).until(() -> checker.down().contains(member));
    status.set(200);
    await().atMost(Duration.ofSeconds(3)).until(() -> checker.down().isEmpty());

    // a different path answers 404: unhealthy even though the port is open
    checker.update(Map.of(member, target(HealthCheckType.HTTP, port, "/missing", 1, 2)));
    await().atMost(Duration.ofSeconds(3)).until(() -> checker.down().contains(member));
  }

  @Test
  void aServerThatHangsFailsByTimeout() throws Exception {
    http = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    http.setExecutor(Executors.newCachedThreadPool());
    http.createContext("/", ex -> {
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
    });
    http.start();
    HealthTarget t = target(HealthCheckType.HTTP, http.getAddress().getPort(), "/", 1, 1);
    long start = System.nanoTime();
    assertThatThrownBy(() -> new Probes().check(t)).hasMessageContaining("GET http://127.0.0.1:")
        .hasMessageContaining("timed out").hasCauseInstanceOf(java.net.SocketTimeoutException.class);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_500);
  }

  @Test
  void probesSayWhyTheyFailed() throws Exception {
    ServerSocket s = new ServerSocket(0, 1, LOOPBACK);
    int closedPort = s.getLocalPort();
    s.close();
    assertThatThrownBy(() -> new Probes().check(target(HealthCheckType.TCP, closedPort, "/", 1, 1)))
        .hasMessageStartingWith("TCP connect 127.0.0.1:" + closedPort).hasCauseInstanceOf(java.net.ConnectException.class);

    http = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    http.createContext("/", ex -> {
      ex.sendResponseHeaders(500, -1);
      ex.close();
    });
    http.start();
    assertThatThrownBy(() -> new Probes().check(target(HealthCheckType.HTTP, http.getAddress().getPort(), "/x", 1, 1)))
        .hasMessageContaining("/x").hasMessageContaining("status 500, want 200");
  }

  @Test
  void removedMembersStopBeingProbedAndChangedOnesKeepTheirState() throws Exception {
    AtomicInteger probes = new AtomicInteger();
    HealthChecker counting = new HealthChecker(scheduler, t -> {
      probes.incrementAndGet();
      throw new IOException("down");
    }, () -> { });
    HealthTarget t = target(HealthCheckType.TCP, 1, "/", 1, 1);
    counting.update(Map.of(member, t));
    await().atMost(Duration.ofSeconds(2)).until(() -> counting.down().contains(member));

    counting.update(Map.of(member, target(HealthCheckType.TCP, 2, "/", 1, 1)));
    assertThat(counting.snapshot()).containsEntry(member, Health.Unhealthy);

    counting.update(Map.of());
    assertThat(counting.snapshot()).isEmpty();
    Thread.sleep(INTERVAL.toMillis());
    int after = probes.get();
    Thread.sleep(INTERVAL.toMillis() * 3);
    assertThat(probes.get()).isEqualTo(after);
    counting.close();
  }

  @Test
  void detailsSayWhenTheHealthLastChangedAndTheLastProbeError() throws Exception {
    java.util.concurrent.atomic.AtomicReference<String> failure = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
        new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-01-01T10:00:00Z"));
    java.time.Clock clock = new java.time.Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public java.time.Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public java.time.Instant instant() {
        return now.get();
      }
    };
    HealthChecker timed = new HealthChecker(scheduler, t -> {
      String f = failure.get();
      if (f != null) {
        throw new IOException(f);
      }
    }, () -> { }, clock);
    timed.update(Map.of(member, target(HealthCheckType.TCP, 1, "/", 1, 1)));
    assertThat(timed.details()).containsEntry(member, new MemberHealth(Health.Healthy, now.get(), null));

    now.set(java.time.Instant.parse("2026-01-01T10:05:00Z"));
    failure.set("connect 127.0.0.1:1: Connection refused");
    await().atMost(Duration.ofSeconds(2)).until(() -> timed.down().contains(member));
    assertThat(timed.details()).containsEntry(member, new MemberHealth(Health.Unhealthy,
        java.time.Instant.parse("2026-01-01T10:05:00Z"), "connect 127.0.0.1:1: Connection refused"));

    now.set(java.time.Instant.parse("2026-01-01T10:07:00Z"));
    failure.set(null);
    await().atMost(Duration.ofSeconds(2)).until(() -> !timed.down().contains(member));
    // healthy since the rise; the last error stays for whoever asks what happened
    assertThat(timed.details()).containsEntry(member, new MemberHealth(Health.Healthy,
        java.time.Instant.parse("2026-01-01T10:07:00Z"), "connect 127.0.0.1:1: Connection refused"));
    timed.close();
  }
}
