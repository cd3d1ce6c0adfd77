package io.lvs.operator.controller;

import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.operator.status.HaLeaseStatus;
import java.util.List;

/** Cache index names and keys shared by the reconcilers and their mappers. */
final class Indexes {
  /** VirtualServices by "namespace/poolName". */
  static final String VS_BY_POOL = "vs-by-pool";
  /** RealServerPools by "namespace/serviceName" of their serviceRef. */
  static final String POOL_BY_SERVICE = "pool-by-service";
  /** RealServerPools with a podSelector, by namespace. */
  static final String POOL_BY_POD_NAMESPACE = "pool-by-pod-namespace";
  /** RealServerPools with a nodeSelector, all under one key. */
  static final String POOL_WITH_NODES = "pool-with-nodes";
  static final String ALL = "all";
  /** VirtualServices by the name of their VIP's HA Lease (see {@link HaLeaseStatus#leaseName}). */
  static final String VS_BY_HA_LEASE = "vs-by-ha-lease";

  private Indexes() {}

  static List<String> vsByPool(VirtualService vs) {
    if (vs.getSpec() == null || vs.getSpec().realServerPoolRef() == null) {
      return List.of();
    }
    return List.of(vs.getMetadata().getNamespace() + "/" + vs.getSpec().realServerPoolRef().name());
  }

  static List<String> vsByHaLease(VirtualService vs) {
    return vs.getSpec() == null || vs.getSpec().vip() == null ? List.of() : List.of(HaLeaseStatus.leaseName(vs.getSpec().vip()));
  }

  static List<String> poolByService(RealServerPool p) {
    if (p.getSpec() == null || p.getSpec().serviceRef() == null) {
      return List.of();
    }
    return List.of(p.getMetadata().getNamespace() + "/" + p.getSpec().serviceRef().name());
  }

  static List<String> poolByPodNamespace(RealServerPool p) {
    return p.getSpec() == null || p.getSpec().podSelector() == null ? List.of() : List.of(p.getMetadata().getNamespace());
  }

  static List<String> poolWithNodes(RealServerPool p) {
    return p.getSpec() == null || p.getSpec().nodeSelector() == null ? List.of() : List.of(ALL);
  }
}
