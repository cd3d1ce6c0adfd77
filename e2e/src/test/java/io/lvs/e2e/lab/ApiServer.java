package io.lvs.e2e.lab;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * etcd and the real kube-apiserver 1.20.2 (built from Debian's source by
 * e2e/kube-apiserver/ensure-kube-apiserver.sh), run inside the VM and listening on the lab bridge
 * so processes in every node namespace reach it. TLS with a lab CA; one bearer token that the
 * harness, the operator and the agents share (the chart's RBAC is proven elsewhere).
 *
 * <p>EndpointSlice discovery.k8s.io/v1 is 1.21+: the built-in v1beta1 is switched off so that the
 * test-only CRD (test-support, io.lvs.testsupport.Crds.ENDPOINTSLICE_V1) can serve the v1 shape.
 */
public final class ApiServer implements ControlPlane {
  /** Where lab processes reach the API server: the bridge address in the VM's root namespace. */
  public static final int PORT = 6443;

  /**
   * Where the server and its etcd listen. In the VM: on the bridge. On the host: loopback ports
   * of their own (another kube-apiserver of the test suites may hold the usual ones), forwarded
   * into the VM by QEMU and relayed onto the bridge, so lab processes see the same address either way.
   * {@code rbac}: RBAC authorization (the admin token is in system:masters; the {@link User}s exist
   * for the kubectl-lvs scenario) on the host, where its bootstrap policy costs nothing; under
   * emulation (the demo) AlwaysAllow.
   */
  public record Listen(String bindAddress, int port, int etcdClientPort, int etcdPeerPort, boolean rbac) {
    public static final Listen IN_LAB = new Listen(LabNetwork.GATEWAY, PORT, 2379, 2380, false);
    public static final Listen ON_HOST = new Listen("127.0.0.1", 16443, 23790, 23800, true);
  }

  /** The group of {@link User#VIEWER}: the chart's example subject for rbac.viewers. */
  public static final String VIEWERS_GROUP = "lvs-viewers";

  /** A user the token file knows besides the admin; its kubeconfig (lab URL) is {@link #kubeconfig}. */
  public enum User {
    /** In group {@link #VIEWERS_GROUP}, which the kubectl-lvs scenario binds to the chart's viewer roles. */
    VIEWER("lvs-lab-viewer", VIEWERS_GROUP),
    /** Bound to nothing. */
    STRANGER("lvs-lab-stranger", "");

    private final String userName;
    private final String group;

    User(String userName, String group) {
      this.userName = userName;
      this.group = group;
    }

    public String userName() {
      return userName;
    }

    /** The kubeconfig with this user's token, beside the admin's in the API server's folder. */
    public Path kubeconfig(Path apiServerDir) {
      return apiServerDir.resolve("kubeconfig-" + name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  private final Path binaries;
  private final Path dir;
  private final Path logs;
  private final Listen listen;
  private final String token = UUID.randomUUID().toString().replace("-", "");
  private LabProcess etcd;
  private LabProcess apiserver;
  private HttpClient http;

  public ApiServer(Path binaries, Path dir, Path logs) {
    this(binaries, dir, logs, Listen.IN_LAB);
  }

  public ApiServer(Path binaries, Path dir, Path logs, Listen listen) {
    this.binaries = binaries;
    this.dir = dir;
    this.logs = logs;
    this.listen = listen;
  }

  /** The URL lab processes use (the bridge address). */
  public static String labUrl() {
    return "https://" + LabNetwork.GATEWAY + ":" + PORT;
  }

  /** The URL where this server listens. */
  public String localUrl() {
    return "https://" + listen.bindAddress() + ":" + listen.port();
  }

  /** Certificates, token file, etcd; then the API server, waiting until /readyz answers ok. */
  public void start(Duration timeout) {
    for (String b : List.of("kube-apiserver", "etcd")) {
      if (!Files.isExecutable(binaries.resolve(b))) {
        throw new IllegalStateException(
            "missing " + binaries.resolve(b) + ": run e2e/kube-apiserver/ensure-kube-apiserver.sh on the host first");
      }
    }
    try {
      Files.createDirectories(dir);
      writeCertificates();
      Files.writeString(dir.resolve("token"), token);
      StringBuilder tokens = new StringBuilder(token + ",lvs-lab-admin,lvs-lab-admin,system:masters\n");
      for (User u : User.values()) {
        String t = UUID.randomUUID().toString().replace("-", "");
        tokens.append(t).append(',').append(u.userName()).append(',').append(u.userName())
            .append(u.group.isEmpty() ? "" : ",\"" + u.group + "\"").append('\n');
        Files.writeString(u.kubeconfig(dir), kubeconfig(labUrl(), u.userName(), t));
      }
      Files.writeString(dir.resolve("tokens.csv"), tokens);
      Files.writeString(dir.resolve("kubeconfig"), kubeconfig(labUrl(), "lvs-lab-admin", token));
      Files.writeString(dir.resolve("kubeconfig-local"), kubeconfig(localUrl(), "lvs-lab-admin", token));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    etcd =
        new LabProcess(
                "etcd",
                List.of(
                    binaries.resolve("etcd").toString(),
                    "--data-dir", dir.resolve("etcd").toString(),
                    "--listen-client-urls", etcdClientUrl(),
                    "--advertise-client-urls", etcdClientUrl(),
                    "--listen-peer-urls", etcdPeerUrl(),
                    "--initial-advertise-peer-urls", etcdPeerUrl(),
                    "--initial-cluster", "default=" + etcdPeerUrl()),
                Map.of("ETCD_UNSUPPORTED_ARCH", "amd64"),
                logs.resolve("etcd.log"))
            .start();
    apiserver = new LabProcess("kube-apiserver", apiserverCommand(), Map.of(), logs.resolve("kube-apiserver.log"));
    startApiServer(timeout);
  }

  private String etcdClientUrl() {
    return "http://127.0.0.1:" + listen.etcdClientPort();
  }

  private String etcdPeerUrl() {
    return "http://127.0.0.1:" + listen.etcdPeerPort();
  }

  /** Starts kube-apiserver (again) against the running etcd and waits for /readyz. */
  @Override
  public void startApiServer(Duration timeout) {
    apiserver.start();
    awaitReady(timeout);
  }

  /** Stops only kube-apiserver (etcd keeps the data): the "API server down" fault. */
  @Override
  public void stopApiServer() {
    apiserver.stop(Duration.ofSeconds(10));
  }

  @Override
  public void close() {
    stop();
  }

  public void stop() {
    if (apiserver != null) {
      apiserver.stop(Duration.ofSeconds(10));
    }
    if (etcd != null) {
      etcd.stop(Duration.ofSeconds(10));
    }
  }

  /** GET /readyz with the lab CA and token (in-process: a curl per poll is dear under emulation). */
  public boolean isReady() {
    return probe().equals("ok");
  }

  /** "ok", or what /readyz answered, or why it could not be asked. */
  private String probe() {
    try {
      if (http == null) {
        http = trustingLabCa(dir.resolve("ca.crt"));
      }
    } catch (IOException e) {
      return e.toString();
    }
    return probe(http, localUrl(), token);
  }

  /** An HTTP client that trusts the lab CA. */
  static HttpClient trustingLabCa(Path caFile) throws IOException {
    return HttpClient.newBuilder().sslContext(labTrust(caFile)).connectTimeout(Duration.ofSeconds(20)).build();
  }

  /** GET url/readyz with the token: "ok", or what it answered, or why it could not be asked. */
  static String probe(HttpClient http, String url, String token) {
    try {
      HttpResponse<String> r = http.send(
          HttpRequest.newBuilder(URI.create(url + "/readyz")).timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + token).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().strip().equals("ok") ? "ok" : "HTTP " + r.statusCode() + ": " + r.body().strip();
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static SSLContext labTrust(Path caFile) throws IOException {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setCertificateEntry("lvs-lab-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust the lab CA " + caFile, e);
    }
  }

  /** kubeconfig for every lab process: the bridge address, the lab CA, the shared token. */
  @Override
  public Path kubeconfigFile() {
    return dir.resolve("kubeconfig");
  }

  @Override
  public Path kubeconfigFile(User user) {
    return user.kubeconfig(dir);
  }

  @Override
  public boolean rbac() {
    return listen.rbac();
  }

  /** kubeconfig for processes beside the server (on the host): its own listen address. */
  public Path localKubeconfigFile() {
    return dir.resolve("kubeconfig-local");
  }

  /** kubectl, from the same build as the server. */
  @Override
  public Path kubectl() {
    return binaries.resolve("kubectl");
  }

  public String tail(int lines) {
    return apiserver == null ? "" : apiserver.tail(lines);
  }

  private void awaitReady(Duration timeout) {
    awaitReadyz("kube-apiserver", apiserver, this::probe, timeout);
  }

  /**
   * Polls {@code probe} (a /readyz answer) every 500 ms until it says "ok"; fails at once when
   * {@code process}, which the answer depends on, has exited, and names it with its log's end.
   */
  static void awaitReadyz(String what, LabProcess process, java.util.function.Supplier<String> probe, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(process.name() + " exited:\n" + process.tail(30));
      }
      last = probe.get();
      if (last.equals("ok")) {
        return;
      }
      sleep(Duration.ofMillis(500));
    }
    throw new IllegalStateException(what + " not ready after " + timeout + " (last /readyz: " + last + "); log: "
        + process.log() + ", ends:\n" + process.tail(10));
  }


  private List<String> apiserverCommand() {
    return List.of(
        binaries.resolve("kube-apiserver").toString(),
        "--etcd-servers=" + etcdClientUrl(),
        "--bind-address=" + listen.bindAddress(),
        // what lab processes dial, wherever the server runs (no endpoint reconciler uses it)
        "--advertise-address=" + LabNetwork.GATEWAY,
        "--secure-port=" + listen.port(),
        "--insecure-port=0",
        "--tls-cert-file=" + dir.resolve("apiserver.crt"),
        "--tls-private-key-file=" + dir.resolve("apiserver.key"),
        "--client-ca-file=" + dir.resolve("ca.crt"),
        "--token-auth-file=" + dir.resolve("tokens.csv"),
        // the harness, operator and agents are admin (system:masters) either way
        "--authorization-mode=" + (listen.rbac() ? "RBAC" : "AlwaysAllow"),
        "--service-account-issuer=https://kubernetes.default.svc",
        "--service-account-key-file=" + dir.resolve("sa.pub"),
        "--service-account-signing-key-file=" + dir.resolve("sa.key"),
        // never routed: the lab has no kube-proxy; kept inside the benchmarking range regardless
        "--service-cluster-ip-range=198.19.0.0/24",
        // only the API groups the product uses: each group's start-up work (bootstrap objects,
        // informers) costs tens of seconds under emulation. discovery.k8s.io stays off so the
        // test-only EndpointSlice v1 CRD can serve it.
        "--runtime-config=api/all=false,api/v1=true,apiextensions.k8s.io/v1=true,apiregistration.k8s.io/v1=true,"
            + "coordination.k8s.io/v1=true,events.k8s.io/v1=true,authentication.k8s.io/v1=true,authorization.k8s.io/v1=true"
            + (listen.rbac() ? ",rbac.authorization.k8s.io/v1=true" : ""),
        "--enable-admission-plugins=NamespaceLifecycle",
        "--disable-admission-plugins=ServiceAccount,LimitRanger,TaintNodesByCondition,Priority,DefaultTolerationSeconds,"
            + "DefaultStorageClass,StorageObjectInUseProtection,PersistentVolumeClaimResize,RuntimeClass,CertificateApproval,"
            + "CertificateSigning,CertificateSubjectRestriction,DefaultIngressClass,MutatingAdmissionWebhook,"
            + "ValidatingAdmissionWebhook,ResourceQuota",
        "--allow-privileged=true",
        "--enable-priority-and-fairness=false",
        "--profiling=false",
        "--endpoint-reconciler-type=none");
  }

  // P-256 keys throughout: RSA key generation takes seconds under emulation
  private void writeCertificates() {
    String d = dir.toString();
    Shell.ok("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
        "-subj", "/CN=lvs-lab-ca", "-keyout", d + "/ca.key", "-out", d + "/ca.crt");
    Shell.ok("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=kube-apiserver",
        "-keyout", d + "/apiserver.key", "-out", d + "/apiserver.csr");
    try {
      Files.writeString(
          dir.resolve("san.ext"),
          "subjectAltName=IP:" + LabNetwork.GATEWAY + ",IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Shell.ok("openssl", "x509", "-req", "-in", d + "/apiserver.csr", "-CA", d + "/ca.crt",
        "-CAkey", d + "/ca.key", "-CAcreateserial", "-days", "2", "-extfile", d + "/san.ext",
        "-out", d + "/apiserver.crt");
    Shell.ok("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", d + "/sa.key");
    Shell.ok("openssl", "ec", "-in", d + "/sa.key", "-pubout", "-out", d + "/sa.pub");
  }

  private String kubeconfig(String url, String user, String userToken) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: lvs-lab
          cluster:
            server: %s
            certificate-authority: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: lvs-lab
          context:
            cluster: lvs-lab
            user: %s
            namespace: default
        current-context: lvs-lab
        """
        .formatted(url, dir.resolve("ca.crt"), user, userToken, user);
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
