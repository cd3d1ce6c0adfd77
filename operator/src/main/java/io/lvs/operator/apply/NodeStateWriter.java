package io.lvs.operator.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lvs.api.slices.NodeSlices;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeTimeouts;
import io.lvs.operator.diff.NodeStateChange;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the node-object (slice) writes the diff asked for, and nothing else. The spec goes out as a
 * JSON merge patch of the slice's whole spec: the operator is its only writer, so no read-modify-write cycle
 * (and no 409 storm) is needed, and the agent's status is never touched.
 */
public final class NodeStateWriter implements SliceWriter {
  private static final Logger LOG = LoggerFactory.getLogger(NodeStateWriter.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final KubernetesClient client;
  private final MeterRegistry metrics;

  public NodeStateWriter(KubernetesClient client, MeterRegistry metrics) {
    this.client = client;
    this.metrics = metrics;
  }

  @Override
  public LvsNodeState write(NodeStateChange change) {
    long t0 = System.nanoTime();
    var op = client.resources(LvsNodeState.class).withName(change.name());
    LvsNodeState result;
    String kind;
    if (change instanceof NodeStateChange.Create c) {
      LvsNodeState obj = new LvsNodeState();
      obj.setMetadata(new ObjectMetaBuilder().withName(c.name()).withLabels(labels(c.spec().nodeName())).build());
      obj.setSpec(c.spec());
      result = client.resource(obj).create();
      kind = "create";
    } else if (change instanceof NodeStateChange.Update u) {
      // a patch given as text on a name alone makes the client GET the object first; on an item it does not
      LvsNodeState target = new LvsNodeState();
      target.setMetadata(new ObjectMetaBuilder().withName(u.name()).build());
      result = client.resource(target).patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch(u.spec()));
      kind = "update";
    } else {
      op.delete();
      result = null;
      kind = "delete";
    }
    metrics.counter("lvs_operator_node_state_writes", "op", kind).increment();
    metrics.timer("lvs_operator_node_state_write", "op", kind).record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    LOG.info("node state {} name={} resourceVersion={}", kind, change.name(),
        result == null ? "-" : result.getMetadata().getResourceVersion());
    return result;
  }

  /**
   * {"spec": the whole spec}, with every field the spec (or its timeouts object) leaves out as an
   * explicit null: a merge patch keeps an absent field's old value and merges objects field by
   * field, so a node whose timeouts (or one of them) went would keep them. Lists replace whole.
   */
  static String mergePatch(LvsNodeStateSpec spec) {
    ObjectNode tree = nullAbsent(JSON.valueToTree(spec), LvsNodeStateSpec.class);
    if (tree.get("timeouts").isObject()) {
      nullAbsent((ObjectNode) tree.get("timeouts"), NodeTimeouts.class);
    }
    ObjectNode root = JSON.createObjectNode();
    root.set("spec", tree);
    return root.toString();
  }

  private static ObjectNode nullAbsent(ObjectNode tree, Class<? extends Record> type) {
    for (RecordComponent c : type.getRecordComponents()) {
      if (!tree.has(c.getName())) {
        tree.putNull(c.getName());
      }
    }
    return tree;
  }

  /** The labels every slice carries: who manages it and which node it is for (what the agent selects on). */
  static Map<String, String> labels(String node) {
    return Map.of("app.kubernetes.io/managed-by", "lvs-operator", NodeSlices.NODE_LABEL, NodeSlices.labelValue(node));
  }
}
