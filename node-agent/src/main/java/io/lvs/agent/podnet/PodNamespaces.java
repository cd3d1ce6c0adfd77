package io.lvs.agent.podnet;

import io.lvs.api.v1alpha1.PodNamespaceReport;
import java.util.List;
import java.util.Map;

/** Programs the pod real servers' namespaces; per owner, one report per pod. */
public interface PodNamespaces {
  /** No pod support (tests of the rest of the loop): every wanted pod is reported not configured. */
  PodNamespaces NONE = want -> {
    Map<String, List<PodNamespaceReport>> out = new java.util.TreeMap<>();
    want.pods().forEach((ip, w) -> w.owners().forEach(o -> out.computeIfAbsent(o, k -> new java.util.ArrayList<>())
        .add(new PodNamespaceReport(ip.getHostAddress(), false, null, "this agent does not program pod namespaces"))));
    return out;
  };

  Map<String, List<PodNamespaceReport>> apply(PodRealServers want);
}
