package io.lvs.api.crd;

import io.lvs.api.v1alpha1.LvsNodeConfig;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.VirtualService;
import java.nio.file.Path;

/** The kinds the crds module ships, and where their checked-in CRD files live. */
enum ApiKind {
  VIRTUAL_SERVICE(VirtualService.class, "virtualservices.lvs.io", true),
  REAL_SERVER_POOL(RealServerPool.class, "realserverpools.lvs.io", true),
  LVS_NODE_STATE(LvsNodeState.class, "lvsnodestates.lvs.io", false),
  LVS_NODE_CONFIG(LvsNodeConfig.class, "lvsnodeconfigs.lvs.io", true);

  /** Tests run in the crds module directory. */
  static final Path MODULE = Path.of("").toAbsolutePath();
  static final Path HELM_CRDS = MODULE.resolveSibling("helm-chart").resolve("crds");

  private final Class<?> type;
  private final String crdName;
  private final boolean userFacing;

  ApiKind(Class<?> type, String crdName, boolean userFacing) {
    this.type = type;
    this.crdName = crdName;
    this.userFacing = userFacing;
  }

  Class<?> type() {
    return type;
  }

  String crdName() {
    return crdName;
  }

  /** Users write these; the internal per-node kind is written by the operator only. */
  boolean userFacing() {
    return userFacing;
  }

  String fileName() {
    return crdName + "-v1.yml";
  }

  Path moduleFile() {
    return MODULE.resolve(fileName());
  }

  Path helmFile() {
    return HELM_CRDS.resolve(fileName());
  }
}
