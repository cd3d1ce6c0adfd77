package io.lvs.agent.nft;

import io.lvs.agent.dataplane.MarkRule;
import java.util.List;

/**
 * fwmark services' marking rules, kept in the agent's own nftables table "lvs-operator-mark"
 * (families ip and ip6), chain prerouting (type filter, hook prerouting, priority mangle). Nothing
 * outside that table is read or touched; the SNAT table is another one, so neither rewrite
 * disturbs the other.
 */
public interface MarkClient {
  /** The rules the table holds, IPv4 first, in rule order; empty when the table is absent. */
  List<MarkRule> list();

  /** Replaces every rule with these in one nf_tables transaction (all or nothing). */
  void replaceAll(List<MarkRule> rules);
}
