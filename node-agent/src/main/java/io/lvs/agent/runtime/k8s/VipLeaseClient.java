package io.lvs.agent.runtime.k8s;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lvs.agent.ha.LeaseView;
import io.lvs.agent.runtime.ha.ElectionPorts;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The agents' own Lease per HA VIP (docs/ha.md): read it, and write it on the version last read,
 * so of two directors writing at once the API server accepts one. A conflict (409) is an answer,
 * not a failure: the caller re-reads. Any other error is the API server being unreachable for the
 * election's purposes, and is thrown.
 */
public final class VipLeaseClient implements ElectionPorts.Leases {
  static final String ROLE_LABEL = "lvs.io/role";
  static final String VIP_ANNOTATION = "lvs.io/vip";
  /** The token of the write that made this version: heartbeats name a renewal in flight by it. */
  static final String WRITE_ANNOTATION = "lvs.io/write";
  static final String FAILOVER_TIME = "lvs.io/failover-time";
  static final String FAILOVER_FROM = "lvs.io/failover-from";
  static final String FAILOVER_REASON = "lvs.io/failover-reason";
  private final Supplier<KubernetesClient> connect;
  private final String namespace;
  private KubernetesClient client; // guarded by this

  public VipLeaseClient(KubernetesClient client, String namespace) {
    this(constant(Objects.requireNonNull(client, "client")), namespace);
  }

  /**
   * With the API client made on the first Lease call: a node that directs no HA VIP never holds a
   * second client (its HTTP client, selector thread and TLS context).
   */
  public VipLeaseClient(Supplier<KubernetesClient> connect, String namespace) {
    this.connect = Objects.requireNonNull(connect, "connect");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
  }

  private static Supplier<KubernetesClient> constant(KubernetesClient client) {
    return () -> client;
  }

  private synchronized KubernetesClient client() {
    if (client == null) {
      client = Objects.requireNonNull(connect.get(), "connect");
    }
    return client;
  }

  @Override
  public LeaseView read(String vip) {
    Lease l = client().leases().inNamespace(namespace).withName(name(vip)).get();
    return l == null ? LeaseView.ABSENT : view(l);
  }

  /**
   * Writes the Lease naming {@code holder} (null: released) on the version of {@code basis};
   * empty when another writer got there first. A takeover is recorded in the failover annotations
   * (which the operator copies into the VirtualService's status); other writes leave them.
   */
  @Override
  public Optional<LeaseView> write(String vip, LeaseView basis, String holder, Duration leaseDuration, Instant now,
      ElectionPorts.Takeover takeover, String token) {
    Lease l = lease(vip, basis.version(), holder, leaseDuration, now, !Objects.equals(basis.holder(), holder), token);
    if (takeover != null) {
      l.getMetadata().getAnnotations().put(FAILOVER_TIME, now.toString());
      l.getMetadata().getAnnotations().put(FAILOVER_FROM, takeover.from());
      l.getMetadata().getAnnotations().put(FAILOVER_REASON, takeover.reason());
    }
    try {
      // a merge patch carrying resourceVersion is checked against it (409 when stale) and keeps
      // what it leaves out (acquireTime on a renewal)
      Lease out = basis.version() == null
          ? client().leases().inNamespace(namespace).resource(l).create()
          : client().leases().inNamespace(namespace).withName(name(vip)).patch(PatchContext.of(PatchType.JSON_MERGE), l);
      return Optional.of(view(out));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** A takeover's merge patch, without the version check, as a dry run: nothing is stored. */
  @Override
  public void prepareWrite(String vip, String holder, Duration leaseDuration, Instant now) {
    Lease l = lease(vip, null, holder, leaseDuration, now, true, "dry-run");
    client().leases().inNamespace(namespace).withName(name(vip)).dryRun()
        .patch(PatchContext.of(PatchType.JSON_MERGE), l);
  }

  private Lease lease(String vip, String version, String holder, Duration duration, Instant now, boolean transition,
      String token) {
    ZonedDateTime t = now.atZone(ZoneOffset.UTC);
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(name(vip))
        .withNamespace(namespace)
        .withResourceVersion(version)
        .addToLabels(ROLE_LABEL, "ha-vip")
        .addToLabels("app.kubernetes.io/managed-by", "lvs-node-agent")
        .addToAnnotations(VIP_ANNOTATION, vip)
        .addToAnnotations(WRITE_ANNOTATION, token)
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(holder == null ? "" : holder) // "": a merge patch drops nulls
        .withLeaseDurationSeconds((int) Math.max(1, (duration.toMillis() + 999) / 1000))
        .withRenewTime(t)
        .withAcquireTime(transition && holder != null ? t : null)
        .endSpec()
        .build();
  }

  private static LeaseView view(Lease l) {
    String holder = l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    String write = l.getMetadata().getAnnotations() == null ? null : l.getMetadata().getAnnotations().get(WRITE_ANNOTATION);
    return new LeaseView(holder == null || holder.isEmpty() ? null : holder, l.getMetadata().getResourceVersion(), write);
  }

  /** Not the operator's {@code lvs-vip-*}: these are written by the directors' agents. */
  static String name(String vip) {
    return "lvs-ha-vip-" + vip.replace('.', '-').replace(':', '-');
  }
}
