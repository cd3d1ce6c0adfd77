package io.lvs.agent.runtime;

import io.lvs.agent.dataplane.SnatRule;
import java.util.List;
import java.util.Map;

/**
 * Programs FullNAT's SNAT rules (nftables), which the IPVS applier does not touch. Returns the
 * problems by owner; an empty map means every rule is in place.
 */
@FunctionalInterface
public interface SnatProgrammer {
  Map<String, List<String>> apply(List<SnatRule> rules);

  /** For a build without an SNAT backend: says so to every owner that asks for SNAT. */
  SnatProgrammer NONE = rules -> {
    Map<String, List<String>> out = new java.util.TreeMap<>();
    for (SnatRule r : rules) {
      out.computeIfAbsent(r.owner(), k -> new java.util.ArrayList<>())
          .add("snat " + r.protocol() + " port " + r.port() + " to " + r.toSource().getHostAddress()
              + ": not programmed, this agent has no SNAT backend");
    }
    return out;
  };
}
