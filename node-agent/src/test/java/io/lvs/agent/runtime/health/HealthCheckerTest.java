package io.lvs.agent.runtime.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real probes against real servers on 127.0.0.1, scheduled on virtual time ({@link ManualScheduler}):
 * the rise/fall counts the spec promises are checked probe by probe, not against a wall clock.
 */
class HealthCheckerTest {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  static final Duration INTERVAL = Duration.ofMillis(250);
  static final Duration TIMEOUT = Duration.ofMillis(400);

  final ManualScheduler scheduler = new ManualScheduler();
  final AtomicInteger transitions = new AtomicInteger();
  final HealthChecker checker = new HealthChecker(scheduler, new Probes(), transitions::incrementAndGet);
  ServerSocket tcp;
  Thread acceptor;
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
    acceptor = t;
    return s;
  }

  /** Closes the listener and waits for its accept thread: until then the kernel may still accept. */
  void closeListener() throws Exception {
    tcp.close();
    acceptor.join(10_000);
  }

  @Test
  void tcpMemberFallsAfterFallFailedProbesAndRisesAfterRiseSuccessfulOnes() throws Exception {
    tcp = listen(0);
    int port = tcp.getLocalPort();
    checker.update(Map.of(member, target(HealthCheckType.TCP, port, "/", 2, 3)));
    scheduler.advance(INTERVAL.multipliedBy(2)); // probes at 0, 1 and 2 intervals
    assertThat(checker.snapshot()).containsEntry(member, Health.Healthy);
    assertThat(transitions).hasValue(0);

    closeListener();
    scheduler.advance(INTERVAL.multipliedBy(2)); // two failed probes
    assertThat(checker.snapshot()).as("fall=3: two failures are not enough").containsEntry(member, Health.Healthy);
    scheduler.advance(INTERVAL); // the third
    assertThat(checker.down()).containsExactly(member);
    assertThat(transitions).hasValue(1);

    tcp = listen(port);
    scheduler.advance(INTERVAL);
    assertThat(checker.down()).as("rise=2: one success is not enough").containsExactly(member);
    scheduler.advance(INTERVAL);
    assertThat(checker.snapshot()).containsEntry(member, Health.Healthy);
    assertThat(transitions).hasValue(2);
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
    scheduler.advance(INTERVAL.multipliedBy(2));
    assertThat(checker.snapshot()).containsEntry(member, Health.Healthy);

    status.set(503);
    scheduler.advance(INTERVAL.multipliedBy(2));
    assertThat(checker.down()).containsExactly(member);
    status.set(200);
    scheduler.advance(INTERVAL);
    assertThat(checker.down()).isEmpty();

    // a different path answers 404: unhealthy even though the port is open
    checker.update(Map.of(member, target(HealthCheckType.HTTP, port, "/missing", 1, 2)));
    scheduler.advance(INTERVAL);
    assertThat(checker.down()).containsExactly(member);
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
    // the socket's own timeout ends it (the server would close without an answer after 2 s)
    assertThatThrownBy(() -> new Probes().check(t)).hasMessageContaining("GET http://127.0.0.1:")
        .hasMessageContaining("timed out").hasCauseInstanceOf(java.net.SocketTimeoutException.class);
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
    scheduler.advance(Duration.ZERO);
    assertThat(counting.down()).containsExactly(member);

    counting.update(Map.of(member, target(HealthCheckType.TCP, 2, "/", 1, 1)));
    assertThat(counting.snapshot()).containsEntry(member, Health.Unhealthy);

    counting.update(Map.of());
    assertThat(counting.snapshot()).isEmpty();
    int after = probes.get();
    scheduler.advance(INTERVAL.multipliedBy(3));
    assertThat(probes.get()).isEqualTo(after);
    assertThat(scheduler.pending()).as("its schedule is gone").isZero();
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
    scheduler.advance(INTERVAL); // fall = 1: one failed probe
    assertThat(timed.down()).contains(member);
    assertThat(timed.details()).containsEntry(member, new MemberHealth(Health.Unhealthy,
        java.time.Instant.parse("2026-01-01T10:05:00Z"), "connect 127.0.0.1:1: Connection refused"));

    now.set(java.time.Instant.parse("2026-01-01T10:07:00Z"));
    failure.set(null);
    scheduler.advance(INTERVAL); // rise = 1: one passing probe
    assertThat(timed.down()).doesNotContain(member);
    // healthy since the rise; the last error stays for whoever asks what happened
    assertThat(timed.details()).containsEntry(member, new MemberHealth(Health.Healthy,
        java.time.Instant.parse("2026-01-01T10:07:00Z"), "connect 127.0.0.1:1: Connection refused"));
    timed.close();
  }
}
