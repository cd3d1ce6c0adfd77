package io.lvs.e2e.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The VM's side of {@link HostControlPlane}: a relay on the bridge address (198.18.0.1:6443) to
 * the host's API server as QEMU forwards it, so every node namespace dials the same URL as with
 * an in-VM server; the outage fault goes to the host's control endpoint.
 */
public final class HostControlPlaneClient implements ControlPlane {
  private final Path dir;
  private final Path binaries;
  private final LabProcess relay;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private HttpClient labHttp;

  public HostControlPlaneClient(Path dir, Path binaries, Path logs) {
    this.dir = dir;
    this.binaries = binaries;
    this.relay = new LabProcess("apiserver-relay", List.of("socat",
        "TCP-LISTEN:" + ApiServer.PORT + ",bind=" + LabNetwork.GATEWAY + ",fork,reuseaddr",
        "TCP:" + HostControlPlane.VM_HOST_ADDRESS + ":" + ApiServer.Listen.ON_HOST.port()), Map.of(),
        logs.resolve("apiserver-relay.log"));
  }

  /** Starts the relay and waits until the host's API server answers through it. */
  public void start(Duration timeout) {
    relay.start();
    awaitReady(timeout);
  }

  private void awaitReady(Duration timeout) {
    ApiServer.awaitReadyz("the host's API server through " + ApiServer.labUrl(), relay, this::probe, timeout);
  }


  private String probe() {
    try {
      if (labHttp == null) {
        labHttp = ApiServer.trustingLabCa(dir.resolve("ca.crt"));
      }
      return ApiServer.probe(labHttp, ApiServer.labUrl(), Files.readString(dir.resolve("token")).strip());
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public Path kubeconfigFile() {
    return dir.resolve("kubeconfig");
  }

  @Override
  public Path kubeconfigFile(ApiServer.User user) {
    return user.kubeconfig(dir);
  }

  @Override
  public boolean rbac() {
    return ApiServer.Listen.ON_HOST.rbac();
  }

  @Override
  public Path kubectl() {
    return binaries.resolve("kubectl");
  }

  @Override
  public void stopApiServer() {
    control("stop");
  }

  @Override
  public void startApiServer(Duration timeout) {
    control("start");
    awaitReady(timeout);
  }

  /** The operator runs on the host too; its /readyz as the VM reaches it. */
  public static String operatorReadyUrl() {
    return "http://" + HostControlPlane.VM_HOST_ADDRESS + ":" + HostControlPlane.OPERATOR_HTTP_PORT + "/readyz";
  }

  private void control(String action) {
    String url = "http://" + HostControlPlane.VM_HOST_ADDRESS + ":" + HostControlPlane.CONTROL_PORT + "/apiserver/" + action;
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(3))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("POST " + url + ": HTTP " + r.statusCode() + " " + r.body().strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("POST " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    relay.stop(Duration.ofSeconds(5));
  }
}
