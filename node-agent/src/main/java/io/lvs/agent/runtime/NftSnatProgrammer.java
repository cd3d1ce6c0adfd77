package io.lvs.agent.runtime;

import io.lvs.agent.dataplane.SnatRule;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.nft.SnatClient;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * FullNAT SNAT through the agent's own nftables table: reads the table, and only when its rules
 * differ from the wanted ones (as a set: order does not matter) replaces them in one transaction,
 * then reads back. A node without SNAT rules and without the table is never written to.
 */
public final class NftSnatProgrammer implements SnatProgrammer {
  private record Row(String owner, IpProtocol protocol, int port, InetAddress toSource, InetAddress realServer) {}

  private final SnatClient nft;

  public NftSnatProgrammer(SnatClient nft) {
    this.nft = Objects.requireNonNull(nft, "nft");
  }

  @Override
  public Map<String, List<String>> apply(List<SnatRule> rules) {
    Set<Row> want = rows(rules);
    String step = "list SNAT rules";
    try {
      if (!rows(nft.list()).equals(want)) {
        step = "replace SNAT rules";
        nft.replaceAll(rules);
        step = "read back SNAT rules";
        Set<Row> got = rows(nft.list());
        if (!got.equals(want)) {
          return problems(rules, "SNAT rules read back differ from the wanted ones: " + got.size() + " rows, want " + want.size());
        }
      }
      return Map.of();
    } catch (RuntimeException e) {
      return problems(rules, step + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    }
  }

  private static Map<String, List<String>> problems(List<SnatRule> rules, String message) {
    Map<String, List<String>> out = new TreeMap<>();
    for (SnatRule r : rules) {
      List<String> l = out.computeIfAbsent(r.owner(), k -> new ArrayList<>());
      if (!l.contains(message)) {
        l.add(message);
      }
    }
    return out;
  }

  private static Set<Row> rows(List<SnatRule> rules) {
    Set<Row> out = new HashSet<>();
    for (SnatRule r : rules) {
      for (InetAddress rs : r.realServers()) {
        out.add(new Row(r.owner(), r.protocol(), r.port(), r.toSource(), rs));
      }
    }
    return out;
  }
}
