package io.lvs.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.operator.discovery.EndpointSliceApi;
import io.lvs.operator.discovery.EndpointSliceV1beta1;
import io.lvs.operator.resolve.EndpointSliceCandidates;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The pools' EndpointSlice informer in the version the cluster serves, read as v1 whichever it
 * is, indexed by "namespace/serviceName" so a slice change wakes exactly the pools naming it.
 */
final class EndpointSliceInformer<S extends HasMetadata> {
  private final InformerEventSource<S, RealServerPool> source;
  private final Function<S, EndpointSlice> toV1;

  private EndpointSliceInformer(InformerEventSource<S, RealServerPool> source, Function<S, EndpointSlice> toV1) {
    this.source = source;
    this.toV1 = toV1;
  }

  static EndpointSliceInformer<?> create(EndpointSliceApi api, EventSourceContext<RealServerPool> context,
      Function<String, Set<ResourceID>> poolsOfService) {
    return switch (api) {
      case V1 -> create(EndpointSlice.class, s -> s, context, poolsOfService);
      case V1BETA1 -> create(io.fabric8.kubernetes.api.model.discovery.v1beta1.EndpointSlice.class,
          EndpointSliceV1beta1::toV1, context, poolsOfService);
    };
  }

  private static <T extends HasMetadata> EndpointSliceInformer<T> create(Class<T> type, Function<T, EndpointSlice> toV1,
      EventSourceContext<RealServerPool> context, Function<String, Set<ResourceID>> poolsOfService) {
    InformerEventSource<T, RealServerPool> source = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, RealServerPool.class)
            .withName("endpointslices")
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(s -> poolsOfService.apply(serviceKey(s)))
            .build(),
        context);
    source.addIndexer(Indexes.POOL_BY_SERVICE, s -> List.of(serviceKey(s)));
    return new EndpointSliceInformer<>(source, toV1);
  }

  InformerEventSource<S, RealServerPool> source() {
    return source;
  }

  /** The slices of Service "namespace/name", as v1. */
  List<EndpointSlice> ofService(String key) {
    return source.byIndex(Indexes.POOL_BY_SERVICE, key).stream().map(toV1).toList();
  }

  private static String serviceKey(HasMetadata s) {
    Map<String, String> labels = s.getMetadata().getLabels();
    String svc = labels == null ? null : labels.get(EndpointSliceCandidates.SERVICE_NAME_LABEL);
    return s.getMetadata().getNamespace() + "/" + svc;
  }
}
