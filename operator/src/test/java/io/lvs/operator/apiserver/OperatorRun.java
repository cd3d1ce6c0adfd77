package io.lvs.operator.apiserver;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lvs.operator.LvsOperator;
import io.lvs.operator.Settings;
import io.lvs.testsupport.Crds;
import io.lvs.testsupport.RealApiServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The operator, as OperatorMain wires it, running in-process against the shared API server. */
final class OperatorRun implements BeforeAllCallback, AfterAllCallback {
  static final String NAMESPACE = "lvs-system";
  static final Duration GONE_NODE_TIMEOUT = Duration.ofSeconds(3);
  private KubernetesClient client;
  private KubernetesClient operatorClient;
  private LvsOperator operator;
  private SimpleMeterRegistry metrics;
  private final int sliceMaxEntries;
  private final boolean asShipped;

  OperatorRun() {
    this(Settings.DEFAULT_SLICE_MAX_ENTRIES);
  }

  /** An operator that cuts node states into slices of at most this many entries. */
  OperatorRun(int sliceMaxEntries) {
    this(sliceMaxEntries, false);
  }

  private OperatorRun(int sliceMaxEntries, boolean asShipped) {
    this.sliceMaxEntries = sliceMaxEntries;
    this.asShipped = asShipped;
  }

  /** On kube-apiserver 1.20.2 as shipped: EndpointSlices are its own v1beta1, no stand-in. */
  static OperatorRun onKubernetes120AsShipped() {
    return new OperatorRun(Settings.DEFAULT_SLICE_MAX_ENTRIES, true);
  }

  /**
   * 1.20.2 as shipped (EndpointSlices its own v1beta1, no stand-in) with the project's CRDs, for
   * the calling test class only: stopped when JUnit closes that class's store.
   */
  private static RealApiServer asShipped(ExtensionContext context) {
    record Closing(RealApiServer server) implements ExtensionContext.Store.CloseableResource {
      @Override
      public void close() {
        server.close();
      }
    }
    return context.getStore(ExtensionContext.Namespace.create(OperatorRun.class, "as-shipped"))
        .getOrComputeIfAbsent(Closing.class, k -> {
          RealApiServer server = RealApiServer.start(false);
          Crds.install(server.admin(), Crds.PROJECT);
          return new Closing(server);
        }, Closing.class).server();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    RealApiServer server = asShipped ? asShipped(context) : RealApiServer.shared();
    client = server.newClient();
    if (client.namespaces().withName(NAMESPACE).get() == null) {
      client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
    }
    operatorClient = server.newClient();
    metrics = new SimpleMeterRegistry();
    operator = new LvsOperator(operatorClient,
        new Settings(0, false, NAMESPACE, Set.of(), GONE_NODE_TIMEOUT).withSliceMaxEntries(sliceMaxEntries), Clock.systemUTC(), metrics);
    operator.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    operator.close();
    operatorClient.close();
    client.close();
  }

  KubernetesClient client() {
    return client;
  }

  /** The sum of a counter's value over all its tags that include these (key, value, ...). */
  double counter(String name, String... tags) {
    return metrics.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  double nodeStateWrites() {
    return metrics.find("lvs_operator_node_state_writes").counters().stream().mapToDouble(c -> c.count()).sum();
  }
}
