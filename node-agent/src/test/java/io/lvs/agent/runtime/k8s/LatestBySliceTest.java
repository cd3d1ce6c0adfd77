package io.lvs.agent.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatestBySliceTest {
  /** A status stand-in: equal values are still different publications. */
  record Status(String slice, int sync) {}

  static Map<String, Status> publication(int slices, int sync) {
    Map<String, Status> out = new HashMap<>();
    for (int i = 0; i < slices; i++) {
      out.put("n1." + i, new Status("n1." + i, sync));
    }
    return out;
  }

  @Test
  void anOutageOfAThousandSyncsKeepsOneStatusPerSliceTheNewest() {
    LatestBySlice<Status> pending = new LatestBySlice<>();
    for (int sync = 0; sync < 1000; sync++) { // nothing is ever written: the API server is away
      pending.offer(publication(40, sync));
    }
    assertThat(pending.size()).isEqualTo(40);
    assertThat(pending.slices()).hasSize(40).startsWith("n1.0", "n1.1", "n1.10").isSorted();
    assertThat(pending.get("n1.7")).contains(new Status("n1.7", 999));
  }

  @Test
  void aWriteOfAnOlderStatusDoesNotDropTheNewerOnePublishedMeanwhile() {
    LatestBySlice<Status> pending = new LatestBySlice<>();
    pending.offer(publication(2, 1));
    Status inFlight = pending.get("n1.0").orElseThrow();
    pending.offer(publication(2, 1)); // equal, but a newer publication
    Status newest = pending.get("n1.0").orElseThrow();
    assertThat(newest).isEqualTo(inFlight).isNotSameAs(inFlight);
    pending.done("n1.0", inFlight);
    assertThat(pending.get("n1.0")).containsSame(newest);
    assertThat(pending.size()).isEqualTo(2);

    pending.done("n1.0", newest);
    assertThat(pending.get("n1.0")).isEmpty();
    assertThat(pending.slices()).containsExactly("n1.1");
  }

  @Test
  void aSliceMissingFromAPublicationIsGoneWithItsWaitingStatus() {
    LatestBySlice<Status> pending = new LatestBySlice<>();
    pending.offer(publication(3, 1));
    pending.offer(Map.of("n1.0", new Status("n1.0", 2)));
    assertThat(pending.slices()).containsExactly("n1.0");
    assertThat(pending.live()).containsExactly("n1.0");

    pending.done("n1.0", pending.get("n1.0").orElseThrow());
    pending.offer(Map.of("n1.0", new Status("n1.0", 3), "n1.5", new Status("n1.5", 3)));
    assertThat(pending.slices()).containsExactly("n1.0", "n1.5");
    assertThat(pending.live()).containsExactlyInAnyOrder("n1.0", "n1.5");
  }
}
