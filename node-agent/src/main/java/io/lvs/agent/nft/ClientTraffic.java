package io.lvs.agent.nft;

import io.lvs.agent.dataplane.MarkRule;
import java.util.List;
import java.util.Set;

/**
 * What the agent's in-cluster clients' objects hold (docs/in-cluster.md): the marking rules of the
 * output hook (local processes; read back without an uplink) and of the prerouting hook (the
 * node's pods: every interface but the uplink and the tunnel devices), how many masquerade rules
 * the nat table has, and whether the policy route of marked packets is in place.
 */
public record ClientTraffic(Set<MarkRule> output, Set<MarkRule> prerouting, int masquerade, boolean policyRoute) {
  public ClientTraffic {
    output = Set.copyOf(output);
    prerouting = Set.copyOf(prerouting);
  }

  public static final ClientTraffic NONE = new ClientTraffic(Set.of(), Set.of(), 0, false);

  /** What the agent programs for these clients' marking rules (all with an uplink). */
  public static ClientTraffic of(List<MarkRule> rules) {
    if (rules.isEmpty()) {
      return NONE;
    }
    return new ClientTraffic(
        Set.copyOf(rules.stream().map(MarkRule::withoutUplink).toList()), Set.copyOf(rules), 1, true);
  }
}
