package io.lvs.operator.apply;

import java.util.Map;

/** The VIP Leases as the node-state sync reads and writes them (see {@link VipLeases}). */
public interface LeaseStore {
  /** Reads the existing Leases (once this process leads). */
  void load();

  /** VIP -> the node its Lease names. */
  Map<String, String> holders();

  /** Records the first holder of a VIP nobody held. */
  void create(String vip, String node);

  /** Moves a VIP's Lease to another node. */
  void hold(String vip, String node);

  /** Drops the Lease of a VIP no VirtualService is given any more. */
  void release(String vip);
}
