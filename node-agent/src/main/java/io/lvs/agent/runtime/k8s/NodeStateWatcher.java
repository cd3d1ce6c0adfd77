package io.lvs.agent.runtime.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.lvs.api.v1alpha1.LvsNodeState;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this node's LvsNodeState and nothing else: an informer with the field selector
 * metadata.name=NODE_NAME, so the agent needs (and RBAC grants) only its own object. The informer
 * re-lists and re-watches with exponential backoff when the watch breaks or the API server is
 * away; its cache keeps the last object meanwhile. Status-only updates (the agent's own writes)
 * are not passed on.
 */
public final class NodeStateWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeStateWatcher.class);

  /** Receives the node object's spec changes. */
  public interface Listener {
    void onNodeState(LvsNodeState state);

    void onNodeStateDeleted();
  }

  private final KubernetesClient client;
  private final String nodeName;
  private final Listener listener;
  private SharedIndexInformer<LvsNodeState> informer;

  public NodeStateWatcher(KubernetesClient client, String nodeName, Listener listener) {
    this.client = Objects.requireNonNull(client, "client");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Starts watching; returns at once, also when the API server cannot be reached (it keeps trying). */
  public synchronized void start() {
    if (informer != null) {
      return;
    }
    informer = client.resources(LvsNodeState.class).withField("metadata.name", nodeName).runnableInformer(0);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(LvsNodeState obj) {
        LOG.atInfo().addKeyValue("node", nodeName).addKeyValue("generation", obj.getMetadata().getGeneration())
            .log("node state seen");
        listener.onNodeState(obj);
      }

      @Override
      public void onUpdate(LvsNodeState oldObj, LvsNodeState newObj) {
        if (Objects.equals(oldObj.getMetadata().getGeneration(), newObj.getMetadata().getGeneration())
            && Objects.equals(oldObj.getSpec(), newObj.getSpec())) {
          return; // a status write or a re-list of the same spec: nothing new to apply
        }
        LOG.atInfo().addKeyValue("node", nodeName).addKeyValue("generation", newObj.getMetadata().getGeneration())
            .log("node state changed");
        listener.onNodeState(newObj);
      }

      @Override
      public void onDelete(LvsNodeState obj, boolean deletedFinalStateUnknown) {
        LOG.atInfo().addKeyValue("node", nodeName).log("node state deleted");
        listener.onNodeStateDeleted();
      }
    });
    informer.exceptionHandler((started, t) -> {
      LOG.atWarn().addKeyValue("node", nodeName).addKeyValue("started", started)
          .addKeyValue("error", t.getMessage()).log("watch failed, retrying with backoff");
      return true;
    });
    informer.start();
  }

  /** The last object seen (kept while the API server is unreachable). */
  public Optional<LvsNodeState> latest() {
    SharedIndexInformer<LvsNodeState> i = informer;
    return i == null ? Optional.empty() : Optional.ofNullable(i.getStore().getByKey(nodeName));
  }

  /** True once the first list succeeded. */
  public boolean hasSynced() {
    SharedIndexInformer<LvsNodeState> i = informer;
    return i != null && i.hasSynced();
  }

  /** True while a watch is open. */
  public boolean isWatching() {
    SharedIndexInformer<LvsNodeState> i = informer;
    return i != null && i.isWatching();
  }

  @Override
  public synchronized void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
