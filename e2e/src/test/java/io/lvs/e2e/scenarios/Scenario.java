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

  /** {@code -t VIP:80}: the key ipvsadm -S gives a TCP service. */
  static String tcp(String vip, int port) {
    return "-t " + vip + ":" + port;
  }
}
