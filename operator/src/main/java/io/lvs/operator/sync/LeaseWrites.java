package io.lvs.operator.sync;

import io.lvs.operator.apply.LeaseStore;
import io.lvs.operator.plan.VipFence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Performs the Lease writes {@link VipFence} decides, around a run's slice writes. */
final class LeaseWrites {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseWrites.class);
  private final LeaseStore leases;
  private final ParallelWrites parallel;
  private boolean loaded;

  LeaseWrites(LeaseStore leases, ParallelWrites parallel) {
    this.leases = leases;
    this.parallel = parallel;
  }

  /** VIP -> the node its Lease names; read from the API once, on the first run (i.e. as leader). */
  Map<String, String> holders() {
    if (!loaded) {
      leases.load();
      loaded = true;
    }
    return leases.holders();
  }

  /** Fence, step 1: a VIP nobody held yet is recorded before any node is told to hold it. */
  void beforeSliceWrites(Map<String, String> chosen, Map<String, String> recorded) {
    List<Runnable> creates = new ArrayList<>();
    VipFence.newLeases(chosen, recorded).forEach((vip, node) -> creates.add(() -> leases.create(vip, node)));
    parallel.run(creates);
  }

  /**
   * Fence, step 2: the old holder's spec without the VIP is written: move the Lease (the next plan
   * gives the VIP to the new holder), and drop the Leases of VIPs nobody is given.
   *
   * @return whether a Lease moved, i.e. the caller must plan again
   */
  boolean afterSliceWrites(Map<String, String> chosen, Map<String, String> recorded) {
    Map<String, String> moves = VipFence.moves(chosen, recorded);
    moves.forEach((vip, node) -> {
      LOG.info("vip handover vip={} from={} to={}", vip, recorded.get(vip), node);
      leases.hold(vip, node);
    });
    VipFence.releases(chosen, leases.holders().keySet()).forEach(leases::release);
    return !moves.isEmpty();
  }
}
