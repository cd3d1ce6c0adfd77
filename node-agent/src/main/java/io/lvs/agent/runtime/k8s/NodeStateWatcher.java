package io.lvs.agent.runtime.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.lvs.api.slices.NodeSlices;
import io.lvs.api.v1alpha1.LvsNodeState;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this node's slices (LvsNodeState objects, see {@link NodeSlices}) and nothing else: an
 * informer with the label selector lvs.io/node=labelValue(NODE_NAME), keeping only objects whose
 * {@link NodeSlices#nodeOf} is this node (a hashed label value could collide; names are not
 * relied on). On any change the listener gets the whole current set, because the agent applies
 * their union. Nothing is passed on before the first list completed: the first objects to arrive
 * are not yet all of them, and applying a part would remove what the rest asks for. The informer
 * re-lists and re-watches with exponential backoff when the watch breaks or the API server is
 * away; its cache keeps the last objects meanwhile. A set that differs from the last one passed on
 * only in status (the agent's own writes) is not passed on.
 */
public final class NodeStateWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeStateWatcher.class);

  /** Receives this node's slices, all of them, sorted by name, whenever one changed. */
  public interface Listener {
    void onSlices(List<LvsNodeState> slices);
  }

  /** What makes two deliveries differ: names, generations and specs, not status. */
  private record Key(String name, Long generation, Object spec) {}

  private final KubernetesClient client;
  private final String nodeName;
  private final Listener listener;
  // deliveries have their own lock: start() and close() must not wait for a listener, nor the
  // informer's callback thread for close()
  private final Object deliveryLock = new Object();
  private volatile SharedIndexInformer<LvsNodeState> informer;
  private List<Key> delivered;

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
    informer = client.resources(LvsNodeState.class).withLabel(NodeSlices.NODE_LABEL, NodeSlices.labelValue(nodeName))
        .runnableInformer(0);
    informer.itemStore(new StatusTrimmingStore()); // the reports this agent wrote are not kept a second time
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(LvsNodeState obj) {
        deliverIfChanged();
      }

      @Override
      public void onUpdate(LvsNodeState oldObj, LvsNodeState newObj) {
        deliverIfChanged();
      }

      @Override
      public void onDelete(LvsNodeState obj, boolean deletedFinalStateUnknown) {
        deliverIfChanged();
      }
    });
    informer.exceptionHandler((started, t) -> {
      LOG.atWarn().addKeyValue("node", nodeName).addKeyValue("started", started)
          .addKeyValue("error", t.getMessage()).log("watch failed, retrying with backoff");
      return true;
    });
    // the handlers may run before the informer counts as synced (they are called asynchronously),
    // so the end of the first list delivers too
    informer.start().thenRun(this::deliverIfChanged);
  }

  /**
   * Passes the current slices on if the first list completed and they differ from the last ones
   * passed on (in names, generations or specs). Cheap when nothing changed; the agent also calls it
   * on its resync timer so that no ordering of informer callbacks can leave a change undelivered.
   */
  public void deliverIfChanged() {
    synchronized (deliveryLock) {
      SharedIndexInformer<LvsNodeState> i = informer;
      if (i == null || !i.hasSynced()) {
        return;
      }
      List<LvsNodeState> slices = slices();
      List<Key> keys = slices.stream()
          .map(s -> new Key(s.getMetadata().getName(), s.getMetadata().getGeneration(), s.getSpec())).toList();
      if (keys.equals(delivered)) {
        return;
      }
      delivered = keys;
      LOG.atInfo().addKeyValue("node", nodeName)
          .addKeyValue("slices", keys.stream().map(k -> k.name() + "@" + k.generation()).toList())
          .log("node state changed");
      listener.onSlices(slices);
    }
  }

  /** This node's slices in the cache, sorted by name (kept while the API server is unreachable). */
  public List<LvsNodeState> slices() {
    SharedIndexInformer<LvsNodeState> i = informer;
    if (i == null) {
      return List.of();
    }
    return i.getStore().list().stream()
        .filter(s -> nodeName.equals(NodeSlices.nodeOf(s)))
        .sorted(Comparator.comparing(s -> s.getMetadata().getName()))
        .toList();
  }

  /** One of this node's slices as last seen, by name. */
  public Optional<LvsNodeState> latest(String name) {
    SharedIndexInformer<LvsNodeState> i = informer;
    return i == null ? Optional.empty()
        : Optional.ofNullable(i.getStore().getByKey(name)).filter(s -> nodeName.equals(NodeSlices.nodeOf(s)));
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
