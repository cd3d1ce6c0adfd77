package io.lvs.agent.runtime;

import io.lvs.agent.dataplane.MarkRule;
import io.lvs.agent.nft.MarkClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Marking rules through the agent's own nftables table: reads the table, and only when its rules
 * differ from the wanted ones (as a set: order does not matter) replaces them in one transaction,
 * then reads back. A node without marking rules and without the table is never written to; when
 * the last fwmark VirtualService goes, the table goes with its rules.
 */
public final class NftMarkProgrammer implements MarkProgrammer {
  private final MarkClient nft;

  public NftMarkProgrammer(MarkClient nft) {
    this.nft = Objects.requireNonNull(nft, "nft");
  }

  @Override
  public Map<String, List<String>> apply(List<MarkRule> rules) {
    var want = new HashSet<>(rules);
    String step = "list marking rules";
    try {
      if (!new HashSet<>(nft.list()).equals(want)) {
        step = "replace marking rules";
        nft.replaceAll(List.copyOf(new java.util.LinkedHashSet<>(rules)));
        step = "read back marking rules";
        var got = new HashSet<>(nft.list());
        if (!got.equals(want)) {
          return problems(rules, "marking rules read back differ from the wanted ones: " + got.size() + " rules, want "
              + want.size());
        }
      }
      return Map.of();
    } catch (RuntimeException e) {
      return problems(rules, step + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    }
  }

  private static Map<String, List<String>> problems(List<MarkRule> rules, String message) {
    Map<String, List<String>> out = new TreeMap<>();
    for (MarkRule r : rules) {
      List<String> l = out.computeIfAbsent(r.owner(), k -> new ArrayList<>());
      if (!l.contains(message)) {
        l.add(message);
      }
    }
    return out;
  }
}
