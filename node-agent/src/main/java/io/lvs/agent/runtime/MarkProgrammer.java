package io.lvs.agent.runtime;

import io.lvs.agent.dataplane.MarkRule;
import java.util.List;
import java.util.Map;

/**
 * Programs fwmark services' marking rules (nftables), which the IPVS applier does not touch.
 * Returns the problems by owner; an empty map means every rule is in place.
 */
@FunctionalInterface
public interface MarkProgrammer {
  Map<String, List<String>> apply(List<MarkRule> rules);

  /** For a build without nftables: says so to every owner that asks for marking. */
  MarkProgrammer NONE = rules -> {
    Map<String, List<String>> out = new java.util.TreeMap<>();
    for (MarkRule r : rules) {
      List<String> l = out.computeIfAbsent(r.owner(), k -> new java.util.ArrayList<>());
      String msg = "fwmark " + r.mark() + ": marking rules not programmed, this agent has no nftables backend";
      if (!l.contains(msg)) {
        l.add(msg);
      }
    }
    return out;
  };
}
