package io.lvs.operator.apply;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One coordination.k8s.io Lease per VIP naming the director that holds it: the fence of the VIP
 * handover (the planner gives a VIP to a new director only once its Lease names it) and a record
 * an operator restart, or a human, can read. Only the leader operator writes these.
 */
public final class VipLeases implements LeaseStore {
  static final String VIP_ANNOTATION = "lvs.io/vip";
  static final String ROLE_LABEL = "lvs.io/role";
  private final KubernetesClient client;
  private final String namespace;
  private final Clock clock;
  private final Map<String, String> holders = new ConcurrentHashMap<>();

  public VipLeases(KubernetesClient client, String namespace, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.clock = clock;
  }

  /** Reads the existing leases once (at start, and after losing track). */
  @Override
  public void load() {
    holders.clear();
    for (Lease l : client.leases().inNamespace(namespace).withLabel(ROLE_LABEL, "vip").list().getItems()) {
      String vip = l.getMetadata().getAnnotations() == null ? null : l.getMetadata().getAnnotations().get(VIP_ANNOTATION);
      if (vip != null && l.getSpec() != null && l.getSpec().getHolderIdentity() != null) {
        holders.put(vip, l.getSpec().getHolderIdentity());
      }
    }
  }

  @Override
  public Map<String, String> holders() {
    return new HashMap<>(holders);
  }

  /** Records {@code node} as the VIP's holder (create or move); forced: the operator is the only writer. */
  @Override
  public void hold(String vip, String node) {
    client.leases().inNamespace(namespace).resource(lease(vip, node))
        .patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withForce(true).build());
    holders.put(vip, node);
  }

  /**
   * Records the first holder of a VIP nobody held: a plain create, which costs the API server less
   * than an apply (2,000 of them at start); a Lease already there (left by an earlier leader) is
   * taken over by an apply.
   */
  @Override
  public void create(String vip, String node) {
    try {
      client.leases().inNamespace(namespace).resource(lease(vip, node)).create();
      holders.put(vip, node);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      hold(vip, node);
    }
  }

  private Lease lease(String vip, String node) {
    ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
    return
        new LeaseBuilder()
            .withNewMetadata()
            .withName(name(vip))
            .withNamespace(namespace)
            .addToLabels(ROLE_LABEL, "vip")
            .addToLabels("app.kubernetes.io/managed-by", "lvs-operator")
            .addToAnnotations(VIP_ANNOTATION, vip)
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(node)
            .withAcquireTime(now)
            .withRenewTime(now)
            .endSpec()
            .build();
  }

  /** Drops the lease of a VIP no VirtualService uses any more. */
  @Override
  public void release(String vip) {
    client.leases().inNamespace(namespace).withName(name(vip)).delete();
    holders.remove(vip);
  }

  static String name(String vip) {
    return "lvs-vip-" + vip.replace('.', '-').replace(':', '-');
  }
}
