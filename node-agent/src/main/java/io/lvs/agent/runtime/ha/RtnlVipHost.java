package io.lvs.agent.runtime.ha;

import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.rtnl.RtnlClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HA VIPs on this director's interfaces, through rtnetlink, recorded in the {@link HaLedger}:
 * an address this agent did not add is never removed, and one that is already there without being
 * ours is refused, not adopted. Election thread only.
 */
public final class RtnlVipHost implements ElectionPorts.VipHost {
  private static final Logger LOG = LoggerFactory.getLogger(RtnlVipHost.class);
  private final RtnlClient rtnl;
  private final HaLedger ledger;
  private Map<String, InterfaceAddress> wanted = Map.of();

  public RtnlVipHost(RtnlClient rtnl, HaLedger ledger) {
    this.rtnl = Objects.requireNonNull(rtnl, "rtnl");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
  }

  /** Where each VIP goes when this node holds it (from the spec). */
  public void configure(Map<String, InterfaceAddress> byVip) {
    wanted = Map.copyOf(byVip);
  }

  @Override
  public void add(String vip) {
    ensure(vip);
  }

  /**
   * Adds the VIP unless it is there already; true when it had to be added (a held VIP deleted by
   * hand is repaired this way, then announced again).
   */
  public boolean ensure(String vip) {
    InterfaceAddress a = wanted.get(vip);
    if (a == null) {
      throw new IllegalStateException("VIP " + vip + " is not a candidate of this node");
    }
    if (rtnl.addresses().contains(a)) {
      if (!ledger.owns(a)) {
        throw new IllegalStateException("address " + a + " exists and was not added by this agent; left as is");
      }
      return false;
    }
    ledger.address(a, true); // first: a crash after the add must still find it ours
    try {
      rtnl.addAddress(a);
    } catch (RuntimeException e) {
      ledger.address(a, false);
      throw e;
    }
    return true;
  }

  @Override
  public void remove(String vip) {
    List<InterfaceAddress> present = rtnl.addresses();
    for (InterfaceAddress a : ledger.addresses()) {
      if (a.address().getHostAddress().equals(vip)) {
        if (present.contains(a)) {
          rtnl.deleteAddress(a);
        }
        ledger.address(a, false);
      }
    }
  }

  @Override
  public void announce(String vip) {
    InterfaceAddress a = wanted.get(vip);
    if (a != null && ledger.owns(a)) {
      rtnl.announce(a);
    }
  }

  /**
   * At start: removes every VIP a previous agent process left (the election starts as standby and
   * takes the VIP again through the Lease). A removal that fails is thrown: starting with a stale
   * VIP would make two holders.
   */
  public List<InterfaceAddress> removeLeftovers() {
    List<InterfaceAddress> removed = new ArrayList<>();
    List<InterfaceAddress> present = rtnl.addresses();
    for (InterfaceAddress a : ledger.addresses()) {
      if (present.contains(a)) {
        rtnl.deleteAddress(a);
        removed.add(a);
        LOG.atInfo().addKeyValue("event", "ha_vip_leftover_removed").addKeyValue("address", a)
            .log("removed a VIP the previous agent process held");
      }
      ledger.address(a, false);
    }
    return removed;
  }
  /** What a takeover does first, done once at start: its first run in a fresh process is slow. */
  public void prepareTakeovers() {
    ledger.rewrite();
    try {
      rtnl.prepareAnnouncements();
    } catch (RuntimeException e) {
      // only a head start: a takeover still adds its VIP, and logs an announcement that fails
      LOG.atWarn().addKeyValue("event", "ha_announce_prepare_failed").addKeyValue("error", e.getMessage())
          .log("could not open the announcement sockets ahead of a takeover");
    }
  }

}
