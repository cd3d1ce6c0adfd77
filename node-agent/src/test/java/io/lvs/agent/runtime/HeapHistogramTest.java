package io.lvs.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeapHistogramTest {
  static final String WITH = """
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:        100000        4000000  io.lvs.agent.model.Destination
         2:          5000         800000  [B (java.base@17.0.15)
         3:            10            640  java.lang.String (java.base@17.0.15)
      Total        105010        4800640
      """;
  static final String WITHOUT = """
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:          4000         700000  [B (java.base@17.0.15)
         2:            10            640  java.lang.String (java.base@17.0.15)
      Total          4010         700640
      """;

  @Test
  void parsesJcmdsLayoutAndSubtractsByClass() {
    HeapHistogram with = HeapHistogram.parse(WITH);
    HeapHistogram held = with.minus(HeapHistogram.parse(WITHOUT));

    assertThat(with.totalBytes()).isEqualTo(4_800_640);
    assertThat(held.totalBytes()).isEqualTo(4_100_000);
    assertThat(held.top(5)).containsExactly(
        new HeapHistogram.Row("io.lvs.agent.model.Destination", 100_000, 4_000_000),
        new HeapHistogram.Row("[B", 1000, 100_000));
    assertThat(held.format("held", 1)).contains("3.9 MiB").contains("io.lvs.agent.model.Destination")
        .doesNotContain("[B");
  }

  @Test
  void aTextWithoutTotalIsRefused() {
    assertThatThrownBy(() -> HeapHistogram.parse("nothing here")).hasMessageContaining("no Total line");
  }

  @Test
  void thisJvmsHistogramCountsAnArrayItHolds() {
    long[][] held = new long[1000][];
    for (int i = 0; i < held.length; i++) {
      held[i] = new long[1024]; // 8 MiB of long[] reachable from this frame
    }
    HeapHistogram h = HeapHistogram.take();
    assertThat(h.rows().get("[J").bytes()).isGreaterThanOrEqualTo(8L * 1024 * 1000);
    assertThat(held[999]).hasSize(1024);
  }
}
