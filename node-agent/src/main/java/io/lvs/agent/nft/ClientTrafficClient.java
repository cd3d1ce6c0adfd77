package io.lvs.agent.nft;

import io.lvs.agent.dataplane.MarkRule;
import java.util.List;

/** The in-cluster clients' nftables tables and policy route, read and replaced as one. */
public interface ClientTrafficClient {
  ClientTraffic read();

  /** Makes the node hold exactly what {@link ClientTraffic#of} says for these rules; empty removes everything. */
  void replaceAll(List<MarkRule> rules);
}
