package io.lvs.agent.runtime.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.lvs.agent.ha.LeaseView;
import io.lvs.agent.runtime.ha.ElectionPorts;
import java.io.IOException;
import java.io.InputStream;
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
  private static final String MERGE_PATCH = "application/merge-patch+json";
  private final Supplier<ApiClient> connect;
  private final String namespace;
  private final ObjectMapper json = KubeJson.mapper();
  private ApiClient client; // guarded by this

  public VipLeaseClient(ApiClient client, String namespace) {
    this(constant(Objects.requireNonNull(client, "client")), namespace);
  }

  /**
   * With the API client made on the first Lease call: a node that directs no HA VIP never holds a
   * second client (its HTTP client, selector thread and TLS context).
   */
  public VipLeaseClient(Supplier<ApiClient> connect, String namespace) {
    this.connect = Objects.requireNonNull(connect, "connect");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
  }

  private static Supplier<ApiClient> constant(ApiClient client) {
    return () -> client;
  }

  private synchronized ApiClient client() {
    if (client == null) {
      client = Objects.requireNonNull(connect.get(), "connect");
    }
    return client;
  }

  @Override
  public LeaseView read(String vip) {
    try (InputStream body = client().get(path(name(vip)))) {
      return view(json.readValue(body, Lease.class));
    } catch (ApiException e) {
      if (e.code() == 404) {
        return LeaseView.ABSENT;
      }
      throw e;
    } catch (IOException e) {
      throw new ApiException(0, "reading the Lease of " + vip + ": " + e, e);
    }
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
    // a merge patch carrying resourceVersion is checked against it (409 when stale) and keeps
    // what it leaves out (acquireTime on a renewal)
    try (InputStream body = basis.version() == null
        ? client().send("POST", path(null), "application/json", bytes(l))
        : client().send("PATCH", path(name(vip)), MERGE_PATCH, bytes(l))) {
      return Optional.of(view(json.readValue(body, Lease.class)));
    } catch (ApiException e) {
      if (e.code() == 409) {
        return Optional.empty();
      }
      throw e;
    } catch (IOException e) {
      throw new ApiException(0, "writing the Lease of " + vip + ": " + e, e);
    }
  }

  /** A takeover's merge patch, without the version check, as a dry run: nothing is stored. */
  @Override
  public void prepareWrite(String vip, String holder, Duration leaseDuration, Instant now) {
    Lease l = lease(vip, null, holder, leaseDuration, now, true, "dry-run");
    try (InputStream body = client().send("PATCH", path(name(vip)) + "?dryRun=All", MERGE_PATCH, bytes(l))) {
      body.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new ApiException(0, "preparing the Lease of " + vip + ": " + e, e);
    }
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

  private String path(String name) {
    return "apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases" + (name == null ? "" : "/" + name);
  }

  private byte[] bytes(Lease l) {
    try {
      return json.writeValueAsBytes(l);
    } catch (IOException e) {
      throw new IllegalStateException("a Lease that does not serialize: " + e, e);
    }
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
