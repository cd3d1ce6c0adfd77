package io.lvs.agent.runtime;

import io.lvs.agent.dataplane.MarkRule;
import io.lvs.agent.nft.ClientTraffic;
import io.lvs.agent.nft.ClientTrafficClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Marking rules of both kinds: a director's ones go to {@code directors} unchanged; the in-cluster
 * clients' ones ({@link MarkRule#forLocalClients}) become the clients' tables and policy route
 * (docs/in-cluster.md). Those are read, and only when they differ from what the rules need
 * replaced, then read back; a node without clients' rules and without those objects is never
 * written to, and when the last clients' rule goes, everything the agent added for them goes.
 */
public final class ClientTrafficProgrammer implements MarkProgrammer {
  /** Who hears of a failure to remove the clients' objects, when no owner wants them any more. */
  static final String REMOVAL = "(in-cluster clients, removal)";

  private final MarkProgrammer directors;
  private final ClientTrafficClient clients;

  public ClientTrafficProgrammer(MarkProgrammer directors, ClientTrafficClient clients) {
    this.directors = Objects.requireNonNull(directors, "directors");
    this.clients = Objects.requireNonNull(clients, "clients");
  }

  @Override
  public Map<String, List<String>> apply(List<MarkRule> rules) {
    List<MarkRule> local = rules.stream().filter(MarkRule::forLocalClients).toList();
    Map<String, List<String>> out = new TreeMap<>(directors.apply(rules.stream().filter(r -> !r.forLocalClients()).toList()));
    ClientTraffic want = ClientTraffic.of(local);
    String step = "read in-cluster clients' rules";
    try {
      if (!clients.read().equals(want)) {
        step = "replace in-cluster clients' rules";
        clients.replaceAll(local);
        step = "read back in-cluster clients' rules";
        ClientTraffic got = clients.read();
        if (!got.equals(want)) {
          add(out, local, "in-cluster clients' rules read back differ from the wanted ones: " + got + ", want " + want);
        }
      }
    } catch (RuntimeException e) {
      add(out, local, step + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    }
    return out;
  }

  private static void add(Map<String, List<String>> out, List<MarkRule> rules, String message) {
    if (rules.isEmpty()) { // removing: no owner left to tell, but the failure must not vanish
      out.computeIfAbsent(REMOVAL, k -> new ArrayList<>()).add(message);
      return;
    }
    for (MarkRule r : rules) {
      List<String> l = out.computeIfAbsent(r.owner(), k -> new ArrayList<>());
      if (!l.contains(message)) {
        l.add(message);
      }
    }
  }
}
