package io.lvs.operator.publish;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.api.v1alpha1.VirtualServiceStatus;
import io.lvs.operator.discovery.EndpointSliceApi;
import io.lvs.operator.discovery.EndpointSliceV1beta1;
import io.lvs.operator.status.Conditions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps a VirtualService's published Service and EndpointSlice ({@link PublishedService}) as its
 * spec says, and reports it as the condition {@code ServicePublished}: written when they differ
 * (server-side apply, field manager {@value #FIELD_MANAGER}), deleted when the switch goes off
 * (known from the condition, so VirtualServices that never published cost no API call), never
 * touching a Service or slice of that name that is not the VirtualService's own.
 */
public final class ServicePublisher {
  public static final String CONDITION = Conditions.SERVICE_PUBLISHED;
  static final String FIELD_MANAGER = "lvs-operator";
  private final KubernetesClient client;
  private final EndpointSliceApi sliceApi;
  private final Clock clock;

  public ServicePublisher(KubernetesClient client, EndpointSliceApi sliceApi, Clock clock) {
    this.client = client;
    this.sliceApi = sliceApi;
    this.clock = clock;
  }

  /** The status with this VirtualService's publication reconciled and its condition set (or gone). */
  public VirtualServiceStatus publish(VirtualService vs, VirtualServiceStatus status) {
    boolean wanted = Boolean.TRUE.equals(vs.getSpec().publishService()) && vs.getSpec().vip() != null;
    List<Condition> previous = vs.getStatus() == null ? List.of() : vs.getStatus().conditions();
    boolean was = Conditions.find(previous, CONDITION).isPresent();
    if (!wanted) {
      if (was) {
        withdraw(vs);
      }
      return with(status, null);
    }
    String name = vs.getMetadata().getName();
    String where = "Service " + vs.getMetadata().getNamespace() + "/" + name;
    Conditions c = new Conditions(previous, generation(vs), clock.instant());
    if (!PublishedService.nameUsable(name)) {
      c.set(CONDITION, false, "InvalidServiceName", "spec.publishService: " + where
          + " cannot exist: a Service name is a DNS-1035 label (a-z, 0-9, '-', at most 63, starting with a letter)");
      return with(status, c.build().get(0));
    }
    PublishedService desired = PublishedService.of(vs);
    HasMetadata foreign = foreign(vs, desired);
    if (foreign != null) {
      c.set(CONDITION, false, "ServiceNameConflict", "spec.publishService: " + foreign.getKind() + " "
          + vs.getMetadata().getNamespace() + "/" + foreign.getMetadata().getName()
          + " exists and is not this VirtualService's; left untouched");
      return with(status, c.build().get(0));
    }
    apply(desired);
    c.set(CONDITION, true, "Published", where + " (headless) resolves to " + vs.getSpec().vip());
    return with(status, c.build().get(0));
  }

  /** An invalid spec changes nothing published: the condition stays as it was. */
  public VirtualServiceStatus keep(VirtualService vs, VirtualServiceStatus status) {
    List<Condition> previous = vs.getStatus() == null ? List.of() : vs.getStatus().conditions();
    return with(status, Conditions.find(previous, CONDITION).orElse(null));
  }

  /** The first of the two names taken by an object this VirtualService does not own, else null. */
  private HasMetadata foreign(VirtualService vs, PublishedService desired) {
    String ns = vs.getMetadata().getNamespace();
    Service svc = client.services().inNamespace(ns).withName(desired.service().getMetadata().getName()).get();
    if (svc != null && !PublishedService.ownedBy(svc, vs)) {
      return svc;
    }
    HasMetadata slice = currentSlice(ns, desired.slice().getMetadata().getName());
    return slice != null && !PublishedService.ownedBy(slice, vs) ? slice : null;
  }

  private HasMetadata currentSlice(String ns, String name) {
    return switch (sliceApi) {
      case V1 -> client.discovery().v1().endpointSlices().inNamespace(ns).withName(name).get();
      case V1BETA1 -> client.discovery().v1beta1().endpointSlices().inNamespace(ns).withName(name).get();
    };
  }

  /** Server-side apply: the API server compares, so an unchanged object is no new resourceVersion. */
  private void apply(PublishedService desired) {
    client.resource(desired.service()).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    HasMetadata slice = sliceApi == EndpointSliceApi.V1 ? desired.slice() : EndpointSliceV1beta1.fromV1(desired.slice());
    client.resource(slice).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  /** Deletes the two objects where they are this VirtualService's own. */
  private void withdraw(VirtualService vs) {
    String ns = vs.getMetadata().getNamespace();
    String name = vs.getMetadata().getName();
    Service svc = client.services().inNamespace(ns).withName(name).get();
    if (svc != null && PublishedService.ownedBy(svc, vs)) {
      client.resource(svc).delete();
    }
    HasMetadata slice = currentSlice(ns, PublishedService.sliceName(name));
    if (slice != null && PublishedService.ownedBy(slice, vs)) {
      client.resource(slice).delete();
    }
  }

  private static VirtualServiceStatus with(VirtualServiceStatus s, Condition published) {
    List<Condition> conds = new ArrayList<>(s.conditions() == null ? List.of() : s.conditions());
    conds.removeIf(x -> CONDITION.equals(x.getType()));
    if (published != null) {
      conds.add(published);
    }
    return new VirtualServiceStatus(s.observedGeneration(), conds, s.ports(), s.readyRealServers(), s.realServers(), s.nodes());
  }

  private static long generation(VirtualService vs) {
    return Objects.requireNonNullElse(vs.getMetadata().getGeneration(), 0L);
  }
}
