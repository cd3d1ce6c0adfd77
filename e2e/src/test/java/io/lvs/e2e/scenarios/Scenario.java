package io.lvs.e2e.scenarios;

import io.lvs.e2e.lab.Ipvsadm;
import io.lvs.e2e.lab.Lab;
import io.lvs.e2e.lab.LabExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A scenario on the shared kernel lab: tagged e2e (run only inside the VM), given the {@link Lab},
 * and cleaned up after: every VirtualService and pool deleted through the API and the director's
 * IPVS table empty again, so the next scenario starts from the same kernel.
 */
@Tag("e2e")
@ExtendWith(LabExtension.class)
abstract class Scenario {
  static final Duration CONVERGE = Duration.ofSeconds(60);

  @AfterEach
  void deleteEverything(Lab lab) {
    lab.kube().deleteAll(CONVERGE);
    lab.await("the director's IPVS table empty after deleting every VirtualService", CONVERGE,
        () -> Ipvsadm.table(lab.director().ns()).isEmpty());
  }

  /**
   * The director's counters for a service once {@code shows} holds: the kernel folds its per-CPU
   * counters into what ipvsadm reads only every 2 s, so right after the traffic they may still be 0.
   */
  static Ipvsadm.Stats directorStats(Lab lab, String key, String what, java.util.function.Predicate<Ipvsadm.Stats> shows) {
    java.util.concurrent.atomic.AtomicReference<Ipvsadm.Stats> seen = new java.util.concurrent.atomic.AtomicReference<>();
    lab.await("director's IPVS counters for " + key + ": " + what + " (refreshed by the kernel every 2 s)",
        Duration.ofSeconds(15), () -> {
          Ipvsadm.Stats s = Ipvsadm.stats(lab.director().ns()).get(key);
          seen.set(s);
          return s != null && shows.test(s);
        });
    return seen.get();
  }

  /** {@code -t VIP:80}: the key ipvsadm -S gives a TCP service. */
  static String tcp(String vip, int port) {
    return "-t " + vip + ":" + port;
  }
}
