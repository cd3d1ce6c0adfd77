package io.lvs.agent.nft;

import io.lvs.agent.dataplane.SnatRule;
import java.util.List;

/**
 * FullNAT's source NAT rules, kept in the agent's own nftables table "lvs-operator" (families ip
 * and ip6), chain postrouting (type nat, hook postrouting, priority 100). Nothing outside that
 * table is read or touched.
 */
public interface SnatClient {
  /** The rules the table holds, IPv4 first, in rule order; empty when the table is absent. */
  List<SnatRule> list();

  /** Replaces every rule with these in one nf_tables transaction (all or nothing). */
  void replaceAll(List<SnatRule> rules);
}
