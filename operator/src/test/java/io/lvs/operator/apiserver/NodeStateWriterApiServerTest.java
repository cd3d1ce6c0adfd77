package io.lvs.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeTimeouts;
import io.lvs.operator.apply.NodeStateWriter;
import io.lvs.operator.diff.NodeStateChange;
import io.lvs.testsupport.RealApiServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A slice update is one PATCH round trip on the real API server (no GET before it: one change
 * writes two slices and their latency is the operator's), and its merge patch removes what the
 * new spec leaves out.
 */
class NodeStateWriterApiServerTest {
  @Test
  void anUpdateIsOnePatchAndRemovesWhatTheSpecLeavesOut() {
    RealApiServer server = RealApiServer.shared();
    List<String> sent = new CopyOnWriteArrayList<>();
    Interceptor log = new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        sent.add(request.method() + " " + request.uri().getPath());
      }
    };
    try (KubernetesClient client = server.newClient(h -> h.addOrReplaceInterceptor("writer-requests", log))) {
      NodeStateWriter writer = new NodeStateWriter(client, new SimpleMeterRegistry());
      String name = "writer-test-node";
      writer.write(new NodeStateChange.Create(name, new LvsNodeStateSpec(name, List.of(), List.of(), List.of(), List.of(),
          List.of(), null, new NodeTimeouts("cfg", 600, 60, 120))));
      sent.clear();

      LvsNodeState written = writer.write(new NodeStateChange.Update(name, new LvsNodeStateSpec(name, List.of(), List.of(),
          List.of(), List.of(), List.of(), null, new NodeTimeouts("cfg", 700, null, null))));

      assertThat(sent).containsExactly("PATCH /apis/lvs.io/v1alpha1/lvsnodestates/" + name);
      assertThat(written.getSpec().timeouts().tcpSeconds()).isEqualTo(700);
      assertThat(written.getSpec().timeouts().udpSeconds()).isNull();
      LvsNodeState read = server.admin().resources(LvsNodeState.class).withName(name).get();
      assertThat(read.getSpec().timeouts().tcpFinSeconds()).isNull();
      server.admin().resources(LvsNodeState.class).withName(name).delete();
    }
  }
}
