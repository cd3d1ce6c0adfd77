package io.lvs.operator.resolve;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.lvs.api.v1alpha1.PodMembers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Candidates from pods whose labels match: ready once the PodReady condition is True. */
public final class PodCandidates {
  private PodCandidates() {}

  public static List<Candidate> from(String namespace, PodMembers sel, List<Pod> pods) {
    List<Candidate> out = new ArrayList<>();
    for (Pod pod : pods) {
      if (!namespace.equals(pod.getMetadata().getNamespace())
          || !Labels.matches(sel.matchLabels(), pod.getMetadata().getLabels())
          || pod.getStatus() == null) {
        continue;
      }
      Set<String> ips = new LinkedHashSet<>();
      if (pod.getStatus().getPodIP() != null) {
        ips.add(pod.getStatus().getPodIP());
      }
      if (pod.getStatus().getPodIPs() != null) {
        pod.getStatus().getPodIPs().stream().map(PodIP::getIp).forEach(ips::add);
      }
      boolean ready =
          pod.getMetadata().getDeletionTimestamp() == null
              && "Running".equals(pod.getStatus().getPhase())
              && pod.getStatus().getConditions() != null
              && pod.getStatus().getConditions().stream()
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      for (String ip : ips) {
        out.add(new Candidate(ip, sel.port(), node, ready, MemberSource.POD, null));
      }
    }
    return out;
  }
}
